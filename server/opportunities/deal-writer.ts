import type { Transaction } from 'kysely';
import type { Database } from '../../schema/database.ts';
import type { Deps } from '../app-deps.ts';
import type { Actor, LedgerEvent } from '../ledger/ledger-event.ts';
import { LedgerWriter } from '../ledger/ledger-writer.ts';
import { privateEventTypes, type DealEvent } from './deal-events.ts';
import { applyDealEvent } from './deal.projection.ts';

/** What a deal change gets: the open transaction, who acts, when, and `emit` to record a change. */
export interface DealWrite {
  trx: Transaction<Database>;
  actor: Actor;
  now: string;
  /** Appends the event to the ledger and applies it to the projections, in this transaction. */
  emit(dealId: string, event: DealEvent): Promise<LedgerEvent>;
}

/**
 * The one write path for deals, whichever face a change came from (tRPC, REST, CLI, sync):
 * `fn` checks and validates, then emits events; the ledger append and the projection update
 * commit together or not at all, with `synchronous = FULL`, before the caller is answered.
 */
export async function writeDeals<T>(
  deps: Deps<'db' | 'clock' | 'writes'>,
  actor: Actor,
  fn: (w: DealWrite) => Promise<T>,
): Promise<T> {
  const run = async (trx: Transaction<Database>) => {
    const now = deps.clock.now().toISOString();
    const ledger = new LedgerWriter(trx, now);
    return fn({
      trx,
      actor,
      now,
      async emit(dealId, event) {
        const stored = await ledger.append({
          dealId,
          type: event.type,
          actor,
          privateTo: privateEventTypes.has(event.type) ? actor.companyId : null,
          data: event.data,
        });
        await applyDealEvent(trx, stored);
        return stored;
      },
    });
  };
  // Inside a caller's transaction, join it; otherwise share a grouped commit with concurrent writes.
  return deps.db.isTransaction ? run(deps.db as Transaction<Database>) : deps.writes.run(run);
}
