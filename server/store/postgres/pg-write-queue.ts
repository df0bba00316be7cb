import { sql, type ControlledTransaction, type Transaction } from 'kysely';
import type { Database } from '../../../schema/database.ts';
import type { Db } from '../db.ts';
import { runGroupWrite } from '../sqlite/group-write.ts';
import {
  failGroup,
  runHooks,
  settleGroup,
  WriteHooks,
  type Outcome,
  type Waiting,
  type WriteQueue,
} from '../write-queue.ts';

/** The advisory lock every write holds: one ledger head, so one writer at a time per database. */
const writeLockKey = 0x74616e64; // 'tand'

/** How many times a deadlock victim or serialization failure is run again. */
const maxRetries = 3;

/** SQLSTATE 40001 (serialization failure) and 40P01 (deadlock detected): safe to run again. */
function isRetryable(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === '40001' || code === '40P01';
}

interface Pending extends Waiting {
  fn: (trx: Transaction<Database>) => Promise<unknown>;
  attempts: number;
}

type Group = ControlledTransaction<Database, string[]>;

export interface PgWriteQueueOptions {
  timeoutMs?: number;
  onTimeout?: (elapsedMs: number) => void;
  /** At most this many writes share one transaction. */
  maxBatch?: number;
  /**
   * How long a group may go on starting writes. Every instance's writes wait for the one lock
   * the group holds, so a group is kept short; what it saves is the begin, lock and commit
   * round trips (and the commit's WAL flush) each write paid alone.
   */
  maxBatchMs?: number;
}

/**
 * Writes on PostgreSQL, in groups: the writes queued on this instance share one transaction, each
 * in a savepoint of its own, so one that fails is rolled back alone and the others still commit.
 * The transaction takes one advisory lock first, so the ledger's single hash chain (and the deal
 * documents kept in step with it) sees one writer at a time across every instance sharing the
 * database; the commit or rollback releases it. No caller is answered before the commit holding
 * its write returned (durable, with synchronous_commit on). A write still running after
 * `timeoutMs` is rolled back to its savepoint and answered 503 (the watchdog); its view of the
 * transaction refuses any query it makes when it wakes. A deadlock victim or serialization
 * failure is rolled back to its savepoint and queued again, at most `maxRetries` times.
 */
export class PgWriteQueue implements WriteQueue {
  readonly #committed = new Set<() => void>();
  /** The hooks of the write now running: a group runs its writes one at a time. */
  #current: WriteHooks | undefined;
  #queue: Pending[] = [];
  #flushing = false;
  readonly #timeoutMs: number;
  readonly #maxBatch: number;
  readonly #maxBatchMs: number;

  constructor(
    private readonly db: Db,
    private readonly options: PgWriteQueueOptions = {},
  ) {
    this.#timeoutMs = options.timeoutMs ?? 10_000;
    this.#maxBatch = options.maxBatch ?? 64;
    this.#maxBatchMs = options.maxBatchMs ?? 10;
  }

  afterEachCommit(listener: () => void): () => void {
    this.#committed.add(listener);
    return () => this.#committed.delete(listener);
  }

  current(): WriteHooks | undefined {
    return this.#current;
  }

  run<T>(fn: (trx: Transaction<Database>) => Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.#queue.push({ fn, resolve: resolve as (v: unknown) => void, reject, attempts: 0 });
      if (!this.#flushing) {
        this.#flushing = true;
        setImmediate(() => void this.#flush());
      }
    });
  }

  async #flush(): Promise<void> {
    while (this.#queue.length > 0) {
      const batch = this.#queue.splice(0, this.#maxBatch);
      const outcomes: Outcome[] = [];
      try {
        const group = (await this.db.startTransaction().execute()) as Group;
        try {
          // One round trip: the lock, and the first write's savepoint.
          await sql
            .raw(`select pg_advisory_xact_lock(${writeLockKey}); savepoint w`)
            .execute(group);
          await this.#runBatch(group, batch, outcomes);
          await group.commit().execute();
        } catch (error) {
          await group
            .rollback()
            .execute()
            .catch(() => {});
          throw error;
        }
      } catch (error) {
        // The group failed as a whole (lock, connection or commit): nothing in it is durable.
        failGroup(
          batch,
          outcomes.map((o) => o.hooks),
          error,
        );
        continue;
      }
      settleGroup(batch, outcomes, this.#committed);
    }
    this.#flushing = false;
  }

  /**
   * Runs the batch's writes one after another, each in a savepoint and a fenced view of the
   * group's transaction. A write that times out ends the batch there, as does the group's time
   * running out: the writes not yet run go back to the queue's head. A retryable failure (and
   * only that: its savepoint is gone, nothing of it remains) is queued again after the others.
   */
  async #runBatch(group: Group, batch: Pending[], outcomes: Outcome[]): Promise<void> {
    const started = performance.now();
    const state = new Map<string, unknown>();
    for (let i = 0; i < batch.length; i++) {
      if (i > 0 && performance.now() - started > this.#maxBatchMs) {
        this.#queue.unshift(...batch.splice(i));
        return;
      }
      const item = batch[i]!;
      // Savepoint `w` is already set: by the lock's round trip, the previous write's release, or
      // kept by the rollback to it.
      const point = group as Group & ControlledTransaction<Database, ['w']>;
      const outcome = await runGroupWrite({
        trx: point,
        fn: item.fn,
        hooks: new WriteHooks(),
        group: state,
        timeoutMs: this.#timeoutMs,
        onTimeout: this.options.onTimeout,
        setCurrent: (hooks) => (this.#current = hooks),
        // The release and the next write's savepoint in one round trip (simple query protocol).
        keep: () => sql.raw('release savepoint w; savepoint w').execute(point),
        undo: () => point.rollbackToSavepoint('w').execute(),
      });
      if (outcome.timedOut) {
        outcomes.push(outcome);
        this.#queue.unshift(...batch.splice(i + 1));
        return;
      }
      if (!outcome.ok && isRetryable(outcome.error) && item.attempts < maxRetries) {
        item.attempts++;
        runHooks(outcome.hooks.failure);
        this.#queue.push(item);
        batch.splice(i, 1);
        i--;
        continue;
      }
      outcomes.push(outcome);
    }
  }
}
