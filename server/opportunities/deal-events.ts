import type { AttributionEvent } from '../ledger/attribution-events.ts';
import type { OpportunityFields } from '../../shared/opportunities/opportunity-fields.ts';
import type { DocStep } from '../../shared/sync/deal-doc.ts';
import type { BusinessDates } from '../../shared/opportunities/business-dates.ts';
import type {
  DeclineReason,
  ParticipantRole,
} from '../../shared/opportunities/opportunity-fields.ts';

/** A co-sell step as events carry it: the same shape the deal room's plan holds. */
export type StepData = DocStep;

/**
 * Every event a deal's ledger holds, with the data the projection needs to apply it. The shapes
 * are part of the ledger (and so of the change feed): add new types, never change old ones.
 */
export type DealChangeEvent =
  | { type: 'opportunity.created'; data: { originatorId: string; fields: OpportunityFields } }
  | {
      type: 'opportunity.updated';
      data: { changes: Partial<OpportunityFields>; backward?: boolean };
    }
  | { type: 'opportunity.ref_set'; data: { externalRef: string } }
  /** The deal's own dates from the CRM, replacing any earlier ones (absent keys: none). */
  | { type: 'opportunity.dated'; data: { dates: BusinessDates } }
  | {
      type: 'participant.invited';
      data: { companyId: string; role: ParticipantRole; firstDeal: boolean };
    }
  | { type: 'participant.accepted'; data: { companyId: string } }
  | {
      type: 'participant.declined';
      data: { companyId: string; reason: DeclineReason; note: string | null };
    }
  | { type: 'participant.removed'; data: { companyId: string } }
  | { type: 'participant.sponsor_set'; data: { companyId: string; sponsor: string } }
  /** A deal that began earlier (by its own dates) became the pair's first deal: not this one. */
  | { type: 'participant.first_deal_unset'; data: { companyId: string } }
  | { type: 'duplicate.flagged'; data: { otherIds: string[] } }
  /**
   * A flagged pair resolved (recorded on both deals of the pair). Merged: `duplicateId` was closed
   * as a duplicate of `keptId` (its own `opportunity.updated` closes it); linked: the two are
   * related and both stay open; dismissed: not duplicates, no longer flagged.
   */
  | { type: 'duplicate.merged'; data: { keptId: string; duplicateId: string } }
  | { type: 'duplicate.linked'; data: { otherId: string } }
  | { type: 'duplicate.dismissed'; data: { otherId: string } }
  | { type: 'step.added'; data: { step: StepData } }
  | { type: 'step.updated'; data: { stepId: string; changes: Partial<Omit<StepData, 'id'>> } }
  /** A live edit from a deal room, as the Yjs update (base64) its author sent. */
  | { type: 'doc.updated'; data: { update: string; refused?: string[] } };

/** Everything `writeDeals` may emit for a deal: its changes and its attribution. */
export type DealEvent = DealChangeEvent | AttributionEvent;

export type DealEventType = DealEvent['type'];

/** Events that carry one company's private data: only that company reads them. */
export const privateEventTypes: ReadonlySet<DealEventType> = new Set(['opportunity.ref_set']);
