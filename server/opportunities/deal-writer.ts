import type { Transaction } from 'kysely';
import type * as Y from 'yjs';
import type { Database } from '../../schema/database.ts';
import type { Deps } from '../deps.ts';
import type { Actor, LedgerEvent } from '../ledger/ledger-event.ts';
import { assertJoinable } from '../store/write-queue.ts';
import { LedgerWriter } from '../ledger/ledger-writer.ts';
import { applyEventToDoc, touchesDoc } from './event-to-doc.ts';
import { privateEventTypes, type DealEvent } from './deal-events.ts';
import { project } from '../ledger/projections.ts';

/** What a deal change gets: the open transaction, who acts, when, and `emit` to record a change. */
export interface DealWrite {
  trx: Transaction<Database>;
  actor: Actor;
  now: string;
  /**
   * Appends the event to the ledger and applies it to the projections — the tables and the deal
   * room's document — in this transaction. `fromDoc`: the change was made in the document itself
   * (a live edit), so only the tables follow it.
   */
  emit(dealId: string, event: DealEvent, options?: { fromDoc?: boolean }): Promise<LedgerEvent>;
  /** This write's copy of the deal's document (see DocSession). */
  doc(dealId: string): Promise<Y.Doc>;
}

/**
 * The one write path for deals, whichever face a change came from (tRPC, REST, CLI, sync):
 * `fn` checks and validates, then emits events; the ledger append, the table projections and the
 * document update commit together or not at all, with `synchronous = FULL`, before the caller is
 * answered; the deal rooms hear of it after the commit.
 */
export async function writeDeals<T>(
  deps: Deps<'db' | 'clock' | 'writes' | 'docs'>,
  actor: Actor,
  fn: (w: DealWrite) => Promise<T>,
): Promise<T> {
  const run = async (trx: Transaction<Database>) => {
    const now = deps.clock.now().toISOString();
    const hooks = deps.writes.current();
    const ledger = new LedgerWriter(trx, now, hooks?.group);
    const session = deps.docs.session(hooks);
    const result = await fn({
      trx,
      actor,
      now,
      doc: (dealId) => session.doc(trx, dealId),
      async emit(dealId, event, options) {
        const stored = await ledger.append({
          dealId,
          type: event.type,
          actor,
          privateTo: privateEventTypes.has(event.type) ? actor.companyId : null,
          data: event.data,
        });
        // A new deal has no document yet: a room builds it from the tables when it opens one.
        if (!options?.fromDoc && touchesDoc(event.type) && event.type !== 'opportunity.created') {
          const doc = await session.existingDoc(trx, dealId);
          if (doc) applyEventToDoc(doc, event);
        }
        await project(trx, stored);
        if (event.type === 'participant.removed' || event.type === 'participant.declined')
          session.accessChanged(dealId);
        return stored;
      },
    });
    await session.persist(trx, now);
    if (!hooks) session.settleNow();
    return result;
  };
  assertJoinable(deps);
  return deps.writes.run(run);
}
