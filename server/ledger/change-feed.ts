import { z } from 'zod';
import type { Deps } from '../deps.ts';
import { parseInput } from '../core/parse-input.ts';
import type { CompanyScope } from '../tenants/principal.ts';
import type { LedgerEventRow } from './ledger.repository.ts';

export const feedInput = z.strictObject({
  after: z
    .number()
    .int()
    .nonnegative()
    .default(0)
    .describe('the cursor: the seq of the last event already seen'),
  limit: z.number().int().min(1).max(1000).default(100),
});

export interface FeedEvent {
  /** Stable id for dedupe; also the cursor. */
  seq: number;
  dealId: string | null;
  dealSeq: number | null;
  type: string;
  at: string;
  actor: { companyId: string; kind: string; id: string };
  data: unknown;
  hash: string;
}

/**
 * Events since a cursor that the company may see (the one visibility rule: webhooks take their
 * events from here too): every event of deals it has accepted (except
 * other companies' private ones), and the invitation itself for deals it is invited to. Ordered by
 * the global seq, so a consumer that stores `nextCursor` never misses or repeats an event.
 */
export async function changeFeed(
  deps: Deps<'db'>,
  scope: CompanyScope,
  input: z.input<typeof feedInput>,
): Promise<{ events: FeedEvent[]; nextCursor: number }> {
  const { after, limit } = parseInput(feedInput, input);
  const rows = await deps.db
    .selectFrom('ledger_events as e')
    .innerJoin('opportunity_participants as me', (j) =>
      j.onRef('me.opportunity_id', '=', 'e.deal_id').on('me.company_id', '=', scope.companyId),
    )
    .selectAll('e')
    .where('e.seq', '>', after)
    .where((eb) =>
      eb.or([eb('e.private_to', 'is', null), eb('e.private_to', '=', scope.companyId)]),
    )
    .where((eb) =>
      eb.or([
        eb('me.status', '=', 'accepted'),
        eb.and([eb('me.status', '=', 'invited'), eb('e.type', '=', 'participant.invited')]),
      ]),
    )
    .orderBy('e.seq')
    .limit(limit)
    .execute();
  const events = rows.map(toFeedEvent);
  return { events, nextCursor: events.at(-1)?.seq ?? after };
}

/** A stored event as the feed (and so every webhook delivery) shows it. */
export function toFeedEvent(r: LedgerEventRow): FeedEvent {
  return {
    seq: r.seq,
    dealId: r.deal_id,
    dealSeq: r.deal_seq,
    type: r.type,
    at: r.at,
    actor: {
      companyId: r.actor_company_id,
      kind: r.actor_kind,
      id: r.actor_id,
      ...(r.actor_via ? { via: r.actor_via, tool: r.actor_tool ?? '' } : {}),
    },
    data: JSON.parse(r.data) as unknown,
    hash: r.hash,
  };
}
