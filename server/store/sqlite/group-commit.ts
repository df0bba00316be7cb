import { sql, type Transaction } from 'kysely';
import type { Database } from '../../../schema/database.ts';
import type { Db } from '../db.ts';
import { withDirect } from './direct-runner.ts';
import { runGroupWrite } from './group-write.ts';
import {
  failGroup,
  settleGroup,
  WriteHooks,
  type Outcome,
  type Waiting,
  type WriteQueue,
} from '../write-queue.ts';

interface Pending extends Waiting {
  fn: (trx: Transaction<Database>) => Promise<unknown>;
  hooks: WriteHooks;
}

export interface GroupCommitOptions {
  maxBatch?: number;
  /**
   * How long one group may run its writes before it commits and lets the event loop turn.
   * SQLite runs synchronously, so a group is one unbroken stretch of the only thread: every
   * socket, timer and request waits behind it. A few milliseconds keeps the loop's delay low
   * while still sharing each fsync among the writes that fit.
   */
  maxBatchMs?: number;
  /**
   * The watchdog: a write still running after this long is rolled back and its caller answered
   * 503, so one stuck write cannot hold the connection (and every tenant's requests) forever.
   */
  timeoutMs?: number;
  onTimeout?: (elapsedMs: number) => void;
}

/**
 * Group commit: writes that arrive while a commit is being prepared share one transaction, and so
 * one fsync, instead of paying one each. Each write runs in its own savepoint, so one that fails
 * is rolled back alone and the others still commit. No caller is answered before the commit that
 * holds its write has returned (durable, with `synchronous = FULL`). A write that calls `run`
 * again from inside itself must join through `inWrite` (write-queue.ts): queued, it would wait for
 * itself; the watchdog turns any such wait into a 503 instead of a frozen server.
 */
export class GroupCommit implements WriteQueue {
  #queue: Pending[] = [];
  #flushing = false;
  readonly #committed = new Set<() => void>();
  #current: WriteHooks | undefined;
  readonly #maxBatch: number;
  readonly #maxBatchMs: number;
  readonly #timeoutMs: number;

  constructor(
    private readonly db: Db,
    private readonly options: GroupCommitOptions = {},
  ) {
    this.#maxBatch = options.maxBatch ?? 256;
    this.#maxBatchMs = options.maxBatchMs ?? 4;
    this.#timeoutMs = options.timeoutMs ?? 10_000;
  }

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

  current(): WriteHooks | undefined {
    return this.#current;
  }

  async #flush(): Promise<void> {
    while (this.#queue.length > 0) {
      const batch = this.#queue.splice(0, this.#maxBatch);
      const outcomes: Outcome[] = [];
      try {
        await this.db
          .transaction()
          .execute((trx) => withDirect(trx, this.db, () => this.#runBatch(trx, batch, outcomes)));
      } catch (error) {
        // The commit itself failed: nothing in the batch is durable, so every caller hears it.
        failGroup(
          batch,
          batch.map((item) => item.hooks),
          error,
        );
        continue;
      }
      settleGroup(batch, outcomes, this.#committed);
      // Let the loop turn between groups: the answers just resolved go out, and requests that
      // arrived meanwhile join the next group instead of waiting behind a run of them.
      if (this.#queue.length > 0) await new Promise((resolve) => setImmediate(resolve));
    }
    this.#flushing = false;
  }

  /**
   * Runs the batch's writes, each in a savepoint and a fenced view of the transaction. After a
   * timeout the batch ends there (the writes not yet run go back to the queue's head), so the
   * stuck write's transaction is over before it could wake and use it; so it does, without a
   * timeout, once the group has run `maxBatchMs`.
   */
  async #runBatch(trx: Transaction<Database>, batch: Pending[], outcomes: Outcome[]) {
    const groupStarted = performance.now();
    const group = new Map<string, unknown>();
    for (let i = 0; i < batch.length; i++) {
      if (i > 0 && performance.now() - groupStarted > this.#maxBatchMs) {
        // The group's time is up: these writes go first into the next group.
        this.#queue.unshift(...batch.splice(i));
        return;
      }
      const item = batch[i]!;
      await sql`savepoint w`.execute(trx);
      const outcome = await runGroupWrite({
        trx,
        fn: item.fn,
        hooks: item.hooks,
        group,
        timeoutMs: this.#timeoutMs,
        onTimeout: this.options.onTimeout,
        setCurrent: (hooks) => (this.#current = hooks),
        keep: () => sql`release savepoint w`.execute(trx),
        undo: async () => {
          await sql`rollback to savepoint w`.execute(trx);
          await sql`release savepoint w`.execute(trx);
        },
      });
      outcomes.push(outcome);
      if (outcome.timedOut) {
        this.#queue.unshift(...batch.splice(i + 1));
        return;
      }
    }
  }
}
