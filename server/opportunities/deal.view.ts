import type {
  DealRef,
  DealView,
  ParticipantView,
  PossibleDuplicate,
  RelatedDeal,
} from '../../shared/opportunities/deal-view.schema.ts';
import { reasonsFor, type ComparableDeal } from '../../shared/opportunities/duplicates.ts';
import { toSummary, type ParticipantRole } from '../../shared/opportunities/opportunity-fields.ts';
import type { Stage } from '../../shared/opportunities/stages.ts';
import type { Executor } from '../store/db.ts';
import type { CompanyScope } from '../tenants/principal.ts';
import { rowToDates, rowToFields, type OpportunityRow } from './opportunity.mapper.ts';
import {
  dealsSeenBy,
  duplicatePairsOf,
  participantsOf,
  refsOf,
  type DuplicatePair,
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

type SeenDeal = Awaited<ReturnType<typeof dealsSeenBy>>[number];

function comparable(row: OpportunityRow, full: boolean): ComparableDeal {
  return {
    title: row.title,
    customerName: row.customer_name,
    ...(full
      ? {
          customerDomain: row.customer_domain,
          amountMinor: row.amount_minor,
          currency: row.currency,
          expectedCloseDate: row.expected_close_date,
        }
      : {}),
  };
}

/** Another deal as the caller may see it: its summary while only invited, else more. */
function dealRef(other: SeenDeal, companies: ParticipantWithCompany[]): DealRef {
  const full = other.my_status === 'accepted';
  return {
    id: other.id,
    title: other.title,
    access: full ? 'full' : 'summary',
    customer: {
      name: other.customer_name,
      ...(full && other.customer_domain ? { domain: other.customer_domain } : {}),
    },
    owner: { id: other.originator_id, name: other.owner_name },
    companies: companies
      .filter(
        (p) => p.opportunity_id === other.id && (p.status === 'invited' || p.status === 'accepted'),
      )
      .sort((a, b) => (a.role === 'originator' ? -1 : b.role === 'originator' ? 1 : 0))
      .map((p) => ({ id: p.company_id, name: p.name })),
    stage: other.stage as Stage,
    status: other.status,
    amountMinor: full ? other.amount_minor : null,
    currency: full ? other.currency : null,
    expectedCloseDate: full ? other.expected_close_date : null,
  };
}

/**
 * A deal's flagged pairs as the caller sees them: open ones as possible duplicates, linked and
 * merged ones as related deals, dismissed ones not at all. The other deal is named only when the
 * caller takes part in it; otherwise the entry says a twin exists and nothing of what it holds.
 */
function duplicatesView(
  row: OpportunityRow,
  pairs: DuplicatePair[],
  seen: Map<string, SeenDeal>,
  companies: ParticipantWithCompany[],
): { possibleDuplicates: PossibleDuplicate[]; relatedDeals: RelatedDeal[] } {
  const possibleDuplicates: PossibleDuplicate[] = [];
  const relatedDeals: RelatedDeal[] = [];
  for (const pair of pairs) {
    const other = seen.get(pair.otherId);
    const deal = other ? dealRef(other, companies) : null;
    if (pair.resolution === null)
      possibleDuplicates.push({
        deal,
        reasons: other
          ? reasonsFor(comparable(row, true), comparable(other, other.my_status === 'accepted'))
          : [],
        flaggedAt: pair.flaggedAt,
      });
    else if (pair.resolution !== 'dismissed')
      relatedDeals.push({
        deal,
        relation:
          pair.resolution === 'linked'
            ? 'linked'
            : pair.keptId === row.id
              ? 'merged_from'
              : 'merged_into',
        at: pair.resolvedAt ?? pair.flaggedAt,
      });
  }
  return { possibleDuplicates, relatedDeals };
}

/**
 * Builds the caller's views of many deals with three queries whatever their number, and two more
 * (the other deals the caller may see, and their companies) when any of them was flagged.
 */
export async function dealViews(
  db: Executor,
  scope: CompanyScope,
  rows: OpportunityRow[],
): Promise<DealView[]> {
  const ids = rows.map((r) => r.id);
  const [participants, refs, pairs] = await Promise.all([
    participantsOf(db, ids),
    refsOf(db, scope, ids),
    duplicatePairsOf(db, ids),
  ]);
  const otherIds = [
    ...new Set(
      [...pairs.values()].flatMap((list) =>
        list.filter((p) => p.resolution !== 'dismissed').map((p) => p.otherId),
      ),
    ),
  ];
  const seen = new Map((await dealsSeenBy(db, scope, otherIds)).map((d) => [d.id, d]));
  const theirCompanies = await participantsOf(db, [...seen.keys()]);
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
      ...(full
        ? duplicatesView(row, pairs.get(row.id) ?? [], seen, theirCompanies)
        : { possibleDuplicates: [], relatedDeals: [] }),
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
