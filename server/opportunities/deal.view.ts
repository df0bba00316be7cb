import type { DealView, ParticipantView } from '../../shared/opportunities/deal-view.schema.ts';
import { toSummary, type ParticipantRole } from '../../shared/opportunities/opportunity-fields.ts';
import type { Executor } from '../store/db.ts';
import type { CompanyScope } from '../tenants/principal.ts';
import { rowToDates, rowToFields, type OpportunityRow } from './opportunity.mapper.ts';
import {
  duplicatesOf,
  participantsOf,
  refsOf,
  type ParticipantWithCompany,
} from './opportunity.repository.ts';

/** The shapes are zod schemas in `shared/`, so tRPC, REST and OpenAPI share one definition. */
export type { DealView, ParticipantView };

function participantView(p: ParticipantWithCompany): ParticipantView {
  return {
    company: { id: p.company_id, slug: p.slug, name: p.name },
    role: p.role as ParticipantRole,
    status: p.status as 'invited' | 'accepted',
    firstDeal: p.first_deal === 1,
    executiveSponsor: p.executive_sponsor,
    lastConfirmedAt: p.last_confirmed_at,
  };
}

/** Builds the caller's views of many deals with four queries, whatever their number. */
export async function dealViews(
  db: Executor,
  scope: CompanyScope,
  rows: OpportunityRow[],
): Promise<DealView[]> {
  const ids = rows.map((r) => r.id);
  const [participants, refs, duplicates] = await Promise.all([
    participantsOf(db, ids),
    refsOf(db, scope, ids),
    duplicatesOf(db, ids),
  ]);
  return rows.map((row) => {
    const present = participants.filter(
      (p) => p.opportunity_id === row.id && (p.status === 'invited' || p.status === 'accepted'),
    );
    const mine = present.find((p) => p.company_id === scope.companyId);
    const full = mine?.status === 'accepted';
    const fields = rowToFields(row);
    const firstDeal = present.some((p) => p.first_deal === 1);
    const dates = rowToDates(row);
    return {
      id: row.id,
      version: row.version,
      access: full ? 'full' : 'summary',
      originatorId: row.originator_id,
      status: row.status,
      summary: toSummary(fields),
      fields: full ? fields : null,
      participants: present.map(participantView),
      externalRef: refs.get(row.id) ?? null,
      possibleDuplicates: full ? (duplicates.get(row.id) ?? []) : [],
      firstDeal,
      sponsorsNeeded: firstDeal
        ? present
            .filter((p) => p.status === 'accepted' && !p.executive_sponsor)
            .map((p) => p.company_id)
        : [],
      businessDates: full && Object.keys(dates).length > 0 ? dates : null,
      createdAt: row.created_at,
      updatedAt: row.updated_at,
    };
  });
}
