import { z } from 'zod';
import type { Deps } from '../deps.ts';
import { parseInput } from '../core/parse-input.ts';
import type { CompanyScope } from '../tenants/principal.ts';
import type { LedgerEventRow } from './ledger.repository.ts';
import type { LedgerPositions } from './ledger-positions.ts';

export const feedInput = z.strictObject({
  after: z
    .string()
    .min(1)
    .max(64)
    .optional()
    .describe('the `cursor` of the last event already seen (or `nextCursor`); leave out to start'),
  limit: z.number().int().min(1).max(1000).default(100),
});

export interface FeedEvent {
  /** Stable id for dedupe, the company's own (see LedgerPositions). */
  id: string;
  /** Pass as `after` to continue after this event. */
  cursor: string;
  dealId: string | null;
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
  deps: Deps<'db' | 'positions'>,
  scope: CompanyScope,
  input: z.input<typeof feedInput>,
): Promise<{ events: FeedEvent[]; nextCursor: string }> {
  const parsed = parseInput(feedInput, input);
  const after = parsed.after ? deps.positions.seqOf(scope.companyId, parsed.after, 'after') : 0;
  const rows = await feedRows(deps, scope, { after, limit: parsed.limit });
  const events = rows.map((r) => toFeedEvent(deps.positions, scope.companyId, r));
  return {
    events,
    nextCursor: events.at(-1)?.cursor ?? deps.positions.cursorOf(scope.companyId, after),
  };
}

/** The stored events of the feed after the global position `after` (the worker's own view). */
export async function feedRows(
  deps: Deps<'db'>,
  scope: CompanyScope,
  { after, limit }: { after: number; limit: number },
): Promise<LedgerEventRow[]> {
  return deps.db
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
}

/** A stored event as the feed (and so every webhook delivery) shows it to `companyId`. */
export function toFeedEvent(
  positions: LedgerPositions,
  companyId: string,
  r: LedgerEventRow,
): FeedEvent {
  return {
    id: positions.eventIdOf(companyId, r.seq),
    cursor: positions.cursorOf(companyId, r.seq),
    dealId: r.deal_id,
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
