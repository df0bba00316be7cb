import type { Transaction } from 'kysely';
import type { Database } from '../../../schema/database.ts';
import type { AppDeps } from '../../deps.ts';
import type { Logger } from '../../core/logger.ts';
import { checkedQueue, inWrite } from '../../store/write-queue.ts';

/** How a mutation ended, as a face keeps it. */
export type Outcome = { ok: true; answer: unknown } | { ok: false; error: unknown };

/**
 * What a face adds to a mutation's write, passed in the context instead of the face opening the
 * transaction itself; the write path runs it inside the transaction it opens.
 */
export interface SameCommit {
  /** Runs first in every write the procedure makes; throwing refuses the write (If-Match). */
  check?: (trx: Transaction<Database>) => Promise<void>;
  /**
   * Runs with the procedure's outcome in the commit that holds its write (an Idempotency-Key's
   * reply), so a crash leaves both or neither. A refusal is kept in a write of its own, the
   * refused one having been rolled back.
   */
  keep?: (trx: Transaction<Database>, outcome: Outcome) => Promise<void>;
}

type Result = { ok: true; data: unknown } | { ok: false; error: unknown };

/**
 * Runs a mutation so that each write it opens through `deps.writes` first runs `check` (the
 * caller's token still good, the face's If-Match) in that write's transaction. With `keep`, the
 * procedure runs as one write instead, opened here, and its writes join it through `inWrite`:
 * the answer kept with the key is composed after a service's own write returns (the deal as it
 * now reads), so only a write around the whole procedure can hold both.
 */
export async function runMutation<R extends Result>(
  deps: AppDeps,
  write: {
    check: (trx: Transaction<Database>) => Promise<void>;
    keep: SameCommit['keep'];
    log: Logger;
  },
  next: (deps: AppDeps) => Promise<R>,
): Promise<R> {
  const checked = { ...deps, writes: checkedQueue(deps.writes, write.check) };
  const { keep } = write;
  if (!keep) return next(checked);
  try {
    return await checked.writes.run(async (trx) => {
      const result = await next(inWrite(checked, trx));
      // Thrown, so the procedure's writes roll back; the refusal is kept below.
      if (!result.ok) throw result.error;
      await keep(trx, { ok: true, answer: result.data });
      return result;
    });
  } catch (error) {
    // Not through the checks: a refusal by them (412, a revoked token) is the answer to keep.
    await deps.writes
      .run((trx) => keep(trx, { ok: false, error }))
      .catch((err: unknown) =>
        write.log.warn({ err }, 'the answer to a refused write was not kept'),
      );
    throw error;
  }
}
