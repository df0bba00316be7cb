import { AsyncLocalStorage } from 'node:async_hooks';
import { sql, type KyselyPlugin, type Transaction } from 'kysely';
import type { Database } from '../../../schema/database.ts';
import type { Db } from '../db.ts';
import { runHooks, WriteHooks, writeTimedOut, type WriteQueue } from '../write-queue.ts';

/** The advisory lock every write holds: one ledger head, so one writer at a time per database. */
const writeLockKey = 0x74616e64; // 'tand'

/** How many times a deadlock victim or serialization failure is run again. */
const maxRetries = 3;

/** SQLSTATE 40001 (serialization failure) and 40P01 (deadlock detected): safe to run again. */
function isRetryable(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === '40001' || code === '40P01';
}

class WriteOver extends Error {
  override name = 'WriteFenced';
  constructor() {
    super('this write is over (committed, rolled back or timed out); its transaction is closed');
  }
}

/**
 * Writes on PostgreSQL: each `run` is a transaction of its own from the pool. Every write takes
 * one transaction-scoped advisory lock first, so the ledger's single hash chain (and the deal
 * documents kept in step with it) sees one writer at a time across every instance sharing the
 * database; the lock is released by the commit or rollback. A write still running after
 * `timeoutMs` is rolled back and answered 503 (the watchdog), and its view of the transaction
 * refuses any query it makes when it wakes.
 */
export class PgWriteQueue implements WriteQueue {
  readonly #committed = new Set<() => void>();
  readonly #running = new AsyncLocalStorage<WriteHooks>();

  constructor(
    private readonly db: Db,
    private readonly options: { timeoutMs?: number; onTimeout?: (elapsedMs: number) => void } = {},
  ) {}

  afterEachCommit(listener: () => void): () => void {
    this.#committed.add(listener);
    return () => this.#committed.delete(listener);
  }

  current(): WriteHooks | undefined {
    return this.#running.getStore();
  }

  /**
   * Runs `fn` as one write. A write PostgreSQL aborts as a deadlock victim or a serialization
   * failure (a single statement outside the queue can still lock rows in the other order) is
   * run again from the start, at most `maxRetries` times, each attempt's failure hooks having
   * run; never once it has succeeded, since its commit may then have happened.
   */
  async run<T>(fn: (trx: Transaction<Database>) => Promise<T>): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      const outcome = await this.#attempt(fn);
      if (outcome.ok) return outcome.value;
      if (!outcome.retryable || attempt >= maxRetries) throw outcome.error;
      await new Promise((resolve) => setTimeout(resolve, 5 + Math.random() * 20 * (attempt + 1)));
    }
  }

  async #attempt<T>(
    fn: (trx: Transaction<Database>) => Promise<T>,
  ): Promise<{ ok: true; value: T } | { ok: false; error: unknown; retryable: boolean }> {
    const hooks = new WriteHooks();
    let succeeded = false;
    const timeoutMs = this.options.timeoutMs ?? 10_000;
    let value: T;
    try {
      value = await this.db.transaction().execute(async (trx) => {
        await sql`select pg_advisory_xact_lock(${writeLockKey})`.execute(trx);
        let open = true;
        const fence: KyselyPlugin = {
          transformQuery(args) {
            if (!open) throw new WriteOver();
            return args.node;
          },
          transformResult: async (args) => args.result,
        };
        const started = Date.now();
        let timer: NodeJS.Timeout | undefined;
        const alarm = new Promise<never>((_, reject) => {
          timer = setTimeout(() => {
            this.options.onTimeout?.(Date.now() - started);
            reject(writeTimedOut(timeoutMs));
          }, timeoutMs);
        });
        try {
          const work = this.#running.run(hooks, () => fn(trx.withPlugin(fence)));
          const result = await Promise.race([work, alarm]);
          succeeded = true;
          runHooks(hooks.success);
          return result;
        } finally {
          open = false;
          clearTimeout(timer);
        }
      });
    } catch (error) {
      runHooks(hooks.failure);
      return { ok: false, error, retryable: !succeeded && isRetryable(error) };
    }
    runHooks(hooks.commit);
    runHooks([...this.#committed]);
    return { ok: true, value };
  }
}
