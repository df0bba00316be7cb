import { z } from 'zod';
import { plays, stepStatuses } from './co-sell-steps.ts';
import {
  helpNeeds,
  motions,
  participantRoles,
  segments,
  type OpportunityFields,
  type OpportunitySummary,
} from './opportunity-fields.ts';
import { dealStatuses, lostReasons, stages } from './stages.ts';
import { dealRelations, duplicateReasons } from './duplicates.ts';

/**
 * What the opportunities API answers, written once: tRPC's output types, the REST responses and
 * the OpenAPI document all come from these schemas. They check shapes only (no transforms, no
 * regexes, no cross-field rules), because every answer is validated against them: the input
 * schemas already vouched for the values.
 */

const customerView = z.object({
  name: z.string(),
  domain: z.string().optional(),
  country: z.string().optional(),
  segment: z.enum(segments).optional(),
  industry: z.string().optional(),
});

const contactView = z.object({
  name: z.string(),
  email: z.string(),
  title: z.string().optional(),
  phone: z.string().optional(),
});

/** Every shared field of a deal, as stored (defaults filled in). */
export const opportunityFieldsView = z
  .object({
    title: z.string(),
    customer: customerView,
    amountMinor: z.number().int().describe('Amount in integer minor units of `currency`'),
    currency: z.string().describe('ISO 4217 currency code'),
    stage: z.enum(stages),
    expectedCloseDate: z.string().nullish(),
    closeDate: z.string().nullish(),
    lostReason: z.enum(lostReasons).nullish(),
    products: z.array(z.string()),
    motion: z.enum(motions),
    nextStep: z.string().nullish(),
    helpRequested: z.array(z.enum(helpNeeds)),
    contacts: z.array(contactView),
    notes: z.string(),
  })
  .meta({ id: 'OpportunityFields', description: 'The shared fields of a co-sell opportunity' });

/** What an invited company sees before it accepts. */
export const opportunitySummaryView = z
  .object({
    title: z.string(),
    customer: z.object({ name: z.string(), industry: z.string().optional() }),
    stage: z.enum(stages),
    motion: z.enum(motions),
    helpRequested: z.array(z.enum(helpNeeds)),
  })
  .meta({ id: 'OpportunitySummary' });

export const participantView = z
  .object({
    company: z.object({ id: z.string(), slug: z.string(), name: z.string() }),
    role: z.enum(participantRoles),
    status: z.enum(['invited', 'accepted']),
    firstDeal: z.boolean(),
    executiveSponsor: z.string().nullable(),
    lastConfirmedAt: z
      .string()
      .nullable()
      .describe('When this company last pushed or edited the deal: how fresh its side is'),
  })
  .meta({ id: 'Participant' });

/** Another deal as a duplicate or a related deal names it: only what the caller may see of it. */
export const dealRefView = z
  .object({
    id: z.string(),
    title: z.string(),
    access: z
      .enum(['full', 'summary'])
      .describe('summary while your company is only invited to it: amounts and dates are null'),
    customer: z.object({ name: z.string(), domain: z.string().optional() }),
    owner: z
      .object({ id: z.string(), name: z.string() })
      .describe('The company that registered the deal'),
    companies: z
      .array(z.object({ id: z.string(), name: z.string() }))
      .describe('The companies invited to or in the deal, its owner first'),
    stage: z.enum(stages),
    status: z.enum(dealStatuses),
    amountMinor: z.number().int().nullable(),
    currency: z.string().nullable(),
    expectedCloseDate: z.string().nullable(),
  })
  .meta({ id: 'DealRef' });

export const possibleDuplicateView = z
  .object({
    deal: dealRefView
      .nullable()
      .describe(
        'null when your company takes no part in the other deal: that it exists is all you see ' +
          '(a company in both deals can resolve the pair)',
      ),
    reasons: z
      .array(z.enum(duplicateReasons))
      .describe('Why the two look like one deal, from what you may see of both; strongest first'),
    flaggedAt: z.string(),
  })
  .meta({ id: 'PossibleDuplicate' });

export const relatedDealView = z
  .object({
    deal: dealRefView.nullable().describe('null when your company takes no part in the other deal'),
    relation: z
      .enum(dealRelations)
      .describe(
        '`linked`: marked related, both stay open; `merged_into`: this deal was closed as a ' +
          'duplicate of the other; `merged_from`: the other was closed as a duplicate of this one',
      ),
    at: z.string(),
  })
  .meta({ id: 'RelatedDeal' });

export const dealViewShape = {
  id: z.string(),
  version: z.number().int().describe('Grows by one with every change; sent as the ETag'),
  access: z.enum(['full', 'summary']).describe('summary while the caller is only invited'),
  originatorId: z.string(),
  status: z.enum(dealStatuses),
  summary: opportunitySummaryView,
  fields: opportunityFieldsView.nullable().describe('null while the caller is only invited'),
  participants: z.array(participantView),
  externalRef: z
    .string()
    .nullable()
    .describe("The caller's own CRM id for the deal; other companies' ids are never shown"),
  possibleDuplicates: z
    .array(possibleDuplicateView)
    .describe('Open possible duplicates: merge, link or dismiss each pair (empty while invited)'),
  relatedDeals: z
    .array(relatedDealView)
    .describe('Duplicates resolved as related or merged (empty while invited)'),
  firstDeal: z.boolean(),
  sponsorsNeeded: z
    .array(z.string())
    .describe('Companies still to name an executive sponsor on a first deal'),
  businessDates: z
    .object({
      createdAt: z.string().optional(),
      closedAt: z.string().optional(),
      stages: z.array(z.object({ stage: z.enum(stages), at: z.string() })).optional(),
    })
    .nullable()
    .describe("The deal's own dates from the CRM that pushed it; null while none were pushed")
    .meta({ id: 'BusinessDates' }),
  createdAt: z.string().describe('When Tandem learned of the deal'),
  updatedAt: z.string(),
};

/** A deal as one company sees it. */
export const dealViewSchema = z.object(dealViewShape).meta({ id: 'Deal' });

export const stepViewSchema = z
  .object({
    id: z.string(),
    play: z.enum(plays),
    title: z.string().nullable(),
    ownerCompanyId: z.string(),
    ownerPerson: z.string().nullable(),
    dueDate: z.string().nullable(),
    status: z.enum(stepStatuses),
    outcome: z.string().nullable(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .meta({ id: 'Step' });

export const historyChangeSchema = z
  .object({
    field: z
      .string()
      .describe(
        'The shared field (`stage`, `amountMinor`, `customer.name`, `notes`…), or for ' +
          '`step.updated` the step field (`status`, `dueDate`…)',
      ),
    from: z
      .unknown()
      .optional()
      .describe('The value before, null when it was empty (absent for notes)'),
    to: z.unknown().optional().describe('The value after, null when emptied (absent for notes)'),
    diff: z
      .object({
        added: z.number().int().describe('Characters added'),
        removed: z.number().int().describe('Characters removed'),
        excerpt: z
          .string()
          .describe('The start of the text added (of the text removed when nothing was added)'),
      })
      .optional()
      .describe('For notes, in place of `from` and `to`: a summary of the edit'),
  })
  .meta({ id: 'HistoryChange', description: 'One field an event changed, from what to what' });

export const historyEntrySchema = z
  .object({
    id: z.string().describe('The event, as the change feed and webhooks name it to you'),
    type: z
      .string()
      .describe(
        '`doc.updated` is a deal-room edit as its author sent it (a Yjs update); what it ' +
          'changed is told by the `opportunity.updated` and `step.*` events recorded with it',
      ),
    at: z.string(),
    author: z.object({
      companyId: z.string(),
      companySlug: z.string().nullable(),
      kind: z.enum(['member', 'client', 'system']),
      id: z.string(),
      name: z.string().nullable(),
      via: z
        .literal('mcp')
        .optional()
        .describe('Present when the member or client acted through an agent (the MCP face)'),
      tool: z.string().optional().describe('With `via`: the tool the agent called'),
    }),
    data: z.unknown(),
    changes: z
      .array(historyChangeSchema)
      .optional()
      .describe(
        'For `opportunity.updated` and `step.updated`: each field changed, from what to what ' +
          '(the ledger events carry only the new values)',
      ),
  })
  .meta({ id: 'HistoryEntry' });

/** One deal with its mutual plan and its history (both empty while the caller is only invited). */
export const dealDetailSchema = z
  .object({
    ...dealViewShape,
    steps: z.array(stepViewSchema),
    history: z.array(historyEntrySchema).describe('From the ledger, oldest first'),
  })
  .meta({ id: 'DealDetail' });

export const dealPageSchema = z
  .object({
    items: z.array(dealViewSchema),
    nextCursor: z
      .string()
      .nullable()
      .describe('Pass as `cursor` for the next page; null at the end'),
  })
  .meta({ id: 'DealPage' });

export const batchResultSchema = z
  .object({
    results: z.array(
      z.object({ externalRef: z.string(), id: z.string(), version: z.number().int() }),
    ),
  })
  .meta({ id: 'BatchResult', description: 'One result per item, in the order sent' });

export const feedEventSchema = z
  .object({
    id: z.string().describe('Stable id for dedupe, yours alone'),
    cursor: z.string().describe('Pass as `after` to continue after this event'),
    dealId: z.string().nullable(),
    type: z.string(),
    at: z.string(),
    actor: z.object({
      companyId: z.string(),
      kind: z.string().describe('member, client or system'),
      id: z.string(),
      via: z.literal('mcp').optional().describe('Present when an agent made the change'),
      tool: z.string().optional().describe('With `via`: the tool the agent called'),
    }),
    data: z.unknown(),
    hash: z.string(),
  })
  .meta({ id: 'FeedEvent' });

export const feedPageSchema = z
  .object({
    events: z.array(feedEventSchema),
    nextCursor: z.string().describe('Pass as `after` for the next page'),
  })
  .meta({ id: 'FeedPage' });

export type OpportunityFieldsView = z.output<typeof opportunityFieldsView>;
export type ParticipantView = z.output<typeof participantView>;
export type DealView = z.output<typeof dealViewSchema>;
export type DealRef = z.output<typeof dealRefView>;
export type PossibleDuplicate = z.output<typeof possibleDuplicateView>;
export type RelatedDeal = z.output<typeof relatedDealView>;
export type StepView = z.output<typeof stepViewSchema>;
export type HistoryEntry = z.output<typeof historyEntrySchema>;
export type HistoryChange = z.output<typeof historyChangeSchema>;
export type DealDetail = z.output<typeof dealDetailSchema>;
export type DealPage = z.output<typeof dealPageSchema>;
export type BatchResult = z.output<typeof batchResultSchema>;
export type FeedEvent = z.output<typeof feedEventSchema>;
export type FeedPage = z.output<typeof feedPageSchema>;

// The views restate the input-side types by hand (to stay cheap); these fail to compile if the
// two drift apart in either direction.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const fieldsMatch: Same<OpportunityFieldsView, OpportunityFields> = true;
const summaryMatch: Same<z.output<typeof opportunitySummaryView>, OpportunitySummary> = true;
void fieldsMatch;
void summaryMatch;
