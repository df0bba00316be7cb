import type { Insertable, Selectable, Updateable } from 'kysely';
import type { OpportunitiesTable } from '../../schema/database.ts';
import type { BusinessDates } from '../../shared/opportunities/business-dates.ts';
import type { OpportunityFields } from '../../shared/opportunities/opportunity-fields.ts';
import { statusOfStage, type Stage } from '../../shared/opportunities/stages.ts';

export type OpportunityRow = Selectable<OpportunitiesTable>;

/** The shared fields of a stored deal, as the API and events carry them. */
export function rowToFields(row: OpportunityRow): OpportunityFields {
  return {
    title: row.title,
    customer: {
      name: row.customer_name,
      ...(row.customer_domain ? { domain: row.customer_domain } : {}),
      ...(row.customer_country ? { country: row.customer_country } : {}),
      ...(row.customer_segment ? { segment: row.customer_segment } : {}),
      ...(row.customer_industry ? { industry: row.customer_industry } : {}),
    },
    amountMinor: row.amount_minor,
    currency: row.currency,
    stage: row.stage,
    expectedCloseDate: row.expected_close_date,
    closeDate: row.close_date,
    lostReason: row.lost_reason,
    products: JSON.parse(row.products),
    motion: row.motion,
    nextStep: row.next_step,
    helpRequested: JSON.parse(row.help_requested),
    contacts: JSON.parse(row.contacts),
    notes: row.notes,
  } as OpportunityFields;
}

/** The CRM's dates of a stored deal; an empty object when none were pushed. */
export function rowToDates(row: OpportunityRow): BusinessDates {
  return {
    ...(row.business_created_at ? { createdAt: row.business_created_at } : {}),
    ...(row.business_closed_at ? { closedAt: row.business_closed_at } : {}),
    ...(row.stage_history ? { stages: JSON.parse(row.stage_history) } : {}),
  } as BusinessDates;
}

/** Columns for a whole set of CRM dates: what it leaves out is cleared. */
export function datesToColumns(dates: BusinessDates): Updateable<OpportunitiesTable> {
  return {
    business_created_at: dates.createdAt ?? null,
    business_closed_at: dates.closedAt ?? null,
    // Keys in a fixed order: the ledger keeps events canonical (sorted keys), and a rebuild from
    // it must write the same text as the live write did.
    stage_history: dates.stages
      ? JSON.stringify(dates.stages.map((s) => ({ stage: s.stage, at: s.at })))
      : null,
  };
}

/** Columns for the fields present in `fields` (all of them on create, the changed ones on update). */
export function fieldsToColumns(
  fields: Partial<OpportunityFields>,
): Updateable<OpportunitiesTable> {
  const c: Updateable<OpportunitiesTable> = {};
  if (fields.title !== undefined) c.title = fields.title;
  if (fields.customer !== undefined) {
    c.customer_name = fields.customer.name;
    c.customer_domain = fields.customer.domain ?? null;
    c.customer_country = fields.customer.country ?? null;
    c.customer_segment = fields.customer.segment ?? null;
    c.customer_industry = fields.customer.industry ?? null;
  }
  if (fields.amountMinor !== undefined) c.amount_minor = fields.amountMinor;
  if (fields.currency !== undefined) c.currency = fields.currency;
  if (fields.stage !== undefined) {
    c.stage = fields.stage;
    c.status = statusOfStage(fields.stage as Stage);
  }
  if (fields.expectedCloseDate !== undefined)
    c.expected_close_date = fields.expectedCloseDate ?? null;
  if (fields.closeDate !== undefined) c.close_date = fields.closeDate ?? null;
  if (fields.lostReason !== undefined) c.lost_reason = fields.lostReason ?? null;
  if (fields.products !== undefined) c.products = JSON.stringify(fields.products);
  if (fields.motion !== undefined) c.motion = fields.motion;
  if (fields.nextStep !== undefined) c.next_step = fields.nextStep ?? null;
  if (fields.helpRequested !== undefined) c.help_requested = JSON.stringify(fields.helpRequested);
  if (fields.contacts !== undefined) c.contacts = JSON.stringify(fields.contacts);
  if (fields.notes !== undefined) c.notes = fields.notes;
  return c;
}

export function newRow(input: {
  id: string;
  originatorId: string;
  fields: OpportunityFields;
  at: string;
}): Insertable<OpportunitiesTable> {
  return {
    id: input.id,
    originator_id: input.originatorId,
    ...(fieldsToColumns(input.fields) as Required<
      Omit<
        Insertable<OpportunitiesTable>,
        | 'id'
        | 'originator_id'
        | 'version'
        | 'created_at'
        | 'updated_at'
        | 'business_created_at'
        | 'business_closed_at'
        | 'stage_history'
      >
    >),
    version: 1,
    created_at: input.at,
    updated_at: input.at,
    // The CRM's dates arrive as their own event (opportunity.dated).
    business_created_at: null,
    business_closed_at: null,
    stage_history: null,
  };
}
