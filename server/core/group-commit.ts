import { sql, type Transaction } from 'kysely';
import type { Database } from '../../schema/database.ts';
import type { Db } from './db.ts';

interface Pending {
  fn: (trx: Transaction<Database>) => Promise<unknown>;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

/**
 * Group commit: writes that arrive while a commit is being prepared share one transaction, and so
 * one fsync, instead of paying one each. Each write runs in its own savepoint, so one that fails
 * is rolled back alone and the others still commit. No caller is answered before the commit that
 * holds its write has returned (durable, with `synchronous = FULL`).
 */
export class GroupCommit {
  #queue: Pending[] = [];
  #flushing = false;
  readonly #committed = new Set<() => void>();

  constructor(
    private readonly db: Db,
    private readonly maxBatch = 256,
  ) {}

  /** Calls `listener` after each commit that held at least one successful write. */
  onCommit(listener: () => void): () => void {
    this.#committed.add(listener);
    return () => this.#committed.delete(listener);
  }

  run<T>(fn: (trx: Transaction<Database>) => Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.#queue.push({ fn, resolve: resolve as (v: unknown) => void, reject });
      if (!this.#flushing) {
        this.#flushing = true;
        setImmediate(() => void this.#flush());
      }
    });
  }

  async #flush(): Promise<void> {
    while (this.#queue.length > 0) {
      const batch = this.#queue.splice(0, this.maxBatch);
      const outcomes: ({ ok: true; value: unknown } | { ok: false; error: unknown })[] = [];
      try {
        await this.db.transaction().execute(async (trx) => {
          for (const item of batch) {
            await sql`savepoint w`.execute(trx);
            try {
              outcomes.push({ ok: true, value: await item.fn(trx) });
              await sql`release savepoint w`.execute(trx);
            } catch (error) {
              await sql`rollback to savepoint w`.execute(trx);
              await sql`release savepoint w`.execute(trx);
              outcomes.push({ ok: false, error });
            }
          }
        });
      } catch (error) {
        // The commit itself failed: nothing in the batch is durable, so every caller hears it.
        for (const item of batch) item.reject(error);
        continue;
      }
      batch.forEach((item, i) => {
        const outcome = outcomes[i]!;
        if (outcome.ok) item.resolve(outcome.value);
        else item.reject(outcome.error);
      });
      if (outcomes.some((o) => o.ok)) for (const listener of this.#committed) listener();
    }
    this.#flushing = false;
  }
}
