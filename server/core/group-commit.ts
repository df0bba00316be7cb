import { sql, type Transaction } from 'kysely';
import type { Database } from '../../schema/database.ts';
import type { Db } from './db.ts';
import { withDirect } from './direct-runner.ts';

interface Pending {
  fn: (trx: Transaction<Database>) => Promise<unknown>;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
  hooks: WriteHooks;
}

/**
 * What a write wants done when its fate is known, for state kept outside the database (the deal
 * rooms' documents): `onSuccess` when its savepoint is released (later writes of the same group
 * build on it), `onCommit` once the group is durable, `onFailure` if it was rolled back — alone,
 * or with its whole group when the commit failed, even after `onSuccess` ran.
 */
export class WriteHooks {
  readonly success: (() => void)[] = [];
  readonly commit: (() => void)[] = [];
  readonly failure: (() => void)[] = [];
  onSuccess(fn: () => void): void {
    this.success.push(fn);
  }
  onCommit(fn: () => void): void {
    this.commit.push(fn);
  }
  onFailure(fn: () => void): void {
    this.failure.push(fn);
  }
}

/** Hooks must not break the queue: a throwing hook is reported, the others still run. */
function runAll(fns: (() => void)[]): void {
  for (const fn of fns) {
    try {
      fn();
    } catch (error) {
      queueMicrotask(() => {
        throw error;
      });
    }
  }
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
  #current: WriteHooks | undefined;

  constructor(
    private readonly db: Db,
    private readonly maxBatch = 256,
  ) {}

  /**
   * Calls `listener` after every group commit that held at least one successful write, whoever
   * wrote (the webhook worker wakes on it); per-write hooks are `WriteHooks`.
   */
  afterEachCommit(listener: () => void): () => void {
    this.#committed.add(listener);
    return () => this.#committed.delete(listener);
  }

  run<T>(fn: (trx: Transaction<Database>) => Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.#queue.push({
        fn,
        resolve: resolve as (v: unknown) => void,
        reject,
        hooks: new WriteHooks(),
      });
      if (!this.#flushing) {
        this.#flushing = true;
        setImmediate(() => void this.#flush());
      }
    });
  }

  /** The hooks of the write now running, for code that joins its transaction. */
  current(): WriteHooks | undefined {
    return this.#current;
  }

  async #flush(): Promise<void> {
    while (this.#queue.length > 0) {
      const batch = this.#queue.splice(0, this.maxBatch);
      const outcomes: ({ ok: true; value: unknown } | { ok: false; error: unknown })[] = [];
      try {
        await this.db.transaction().execute((trx) =>
          withDirect(trx, this.db, async () => {
            for (const item of batch) {
              await sql`savepoint w`.execute(trx);
              this.#current = item.hooks;
              try {
                const value = await item.fn(trx);
                await sql`release savepoint w`.execute(trx);
                outcomes.push({ ok: true, value });
                runAll(item.hooks.success);
              } catch (error) {
                await sql`rollback to savepoint w`.execute(trx);
                await sql`release savepoint w`.execute(trx);
                outcomes.push({ ok: false, error });
              } finally {
                this.#current = undefined;
              }
            }
          }),
        );
      } catch (error) {
        // The commit itself failed: nothing in the batch is durable, so every caller hears it.
        for (const item of batch) {
          runAll(item.hooks.failure);
          item.reject(error);
        }
        continue;
      }
      batch.forEach((item, i) => {
        const outcome = outcomes[i]!;
        if (outcome.ok) {
          runAll(item.hooks.commit);
          item.resolve(outcome.value);
        } else {
          runAll(item.hooks.failure);
          item.reject(outcome.error);
        }
      });
      if (outcomes.some((o) => o.ok)) runAll([...this.#committed]);
    }
    this.#flushing = false;
  }
}
