import type { Deps } from '../deps.ts';
import type { Executor } from '../store/db.ts';
import { AttemptRecorder } from './attempt-recorder.ts';
import { attemptDelivery } from './delivery-attempt.ts';
import { dueLaneHeads, eventsBySeq } from './outbox.repository.ts';
import type { EndpointRow } from './webhook.repository.ts';

type RoundDeps = Deps<'db' | 'writes' | 'clock' | 'config' | 'deploymentKey' | 'positions'>;

/** Lane heads taken per round: one read of the outbox and of the ledger for this many sends. */
const roundSize = 256;

export interface RoundControl {
  fence?: (trx: Executor) => Promise<void>;
  signal: AbortSignal;
  /** True once the worker is stopping: no new sends. */
  stopping(): boolean;
  /** True (and reset) when new deliveries may have been queued since the last look. */
  lookAgain(): boolean;
}

/**
 * Sends an endpoint's due deliveries in rounds until none is due. A round takes the oldest
 * pending delivery of up to `roundSize` lanes (deals), sends them `concurrency` at a time and
 * commits their outcomes in groups; the next round starts once all are committed, so a lane's
 * next event goes out only after its head's outcome is on disk (per-deal order, at least once).
 * Resolves with the attempts made and how many of them were put off to a retry; rejects when an
 * attempt or a commit failed.
 */
export async function deliverDue(
  deps: RoundDeps,
  endpoint: EndpointRow,
  control: RoundControl,
): Promise<{ attempts: number; retries: number }> {
  let attempts = 0;
  let retries = 0;
  while (!control.stopping()) {
    const heads = await dueLaneHeads(deps.db, {
      endpointId: endpoint.id,
      now: deps.clock.now().toISOString(),
      limit: roundSize,
    });
    if (heads.length === 0) {
      if (control.lookAgain()) continue;
      return { attempts, retries };
    }
    const rows = await eventsBySeq(
      deps.db,
      heads.map((h) => h.seq),
    );
    const events = new Map(rows.map((e) => [e.seq, e]));
    const recorder = new AttemptRecorder(deps, endpoint.id, control.fence);
    let next = 0;
    let failure: unknown;
    const sender = async () => {
      while (next < heads.length && !failure && !recorder.halted && !control.stopping()) {
        const delivery = heads[next++]!;
        try {
          const outcome = await attemptDelivery(
            deps,
            endpoint,
            delivery,
            events.get(delivery.seq)!,
            control.signal,
          );
          if (!outcome) return;
          attempts++;
          if (outcome.record.status === 'pending') retries++;
          recorder.add(outcome);
        } catch (error) {
          // Left pending as it was: it goes out again after the worker's next poll.
          failure ??= error;
        }
      }
    };
    const { concurrency } = deps.config.webhooks;
    await Promise.all(Array.from({ length: Math.min(concurrency, heads.length) }, sender));
    await recorder.drain();
    if (failure) throw failure;
    if (recorder.halted) return { attempts, retries };
  }
  return { attempts, retries };
}
