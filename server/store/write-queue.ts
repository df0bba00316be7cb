import type { Transaction } from 'kysely';
import { DomainError } from '../core/domain-error.ts';
import type { Database } from '../../schema/database.ts';

/**
 * What a write wants done when its fate is known, for state kept outside the database (the deal
 * rooms' documents): `onSuccess` when its savepoint is released (later writes of the same group
 * build on it), `onCommit` once the group is durable, `onFailure` if it was rolled back — alone,
 * or with its whole group when the commit failed, even after `onSuccess` ran.
 */
export class WriteHooks {
  /**
   * What the writes of one group transaction carry from one to the next (the ledger's head, say,
   * which the group's lock keeps from changing under it). The queue puts back what a write found
   * when that write is rolled back, so a value here is always the committed-so-far state.
   */
  group: Map<string, unknown> = new Map();
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

/** Where durable writes go. Services call `run`; they never open a write transaction themselves. */
export interface WriteQueue {
  /** Runs `fn` in a write transaction; resolves once the write is durable. */
  run<T>(fn: (trx: Transaction<Database>) => Promise<T>): Promise<T>;
  /** The hooks of the write now running, for code that joins its transaction. */
  current(): WriteHooks | undefined;
  /** Calls `listener` after every commit that held at least one successful write. */
  afterEachCommit(listener: () => void): () => void;
}

/**
 * `queue`, with `check` run first inside every write made through it, in that write's
 * transaction; throwing refuses the write. How a caller adds a condition that must hold when the
 * write commits (its token still good, an If-Match) to the write the domain opens, without
 * opening a transaction of its own.
 */
export function checkedQueue(
  queue: WriteQueue,
  check: (trx: Transaction<Database>) => Promise<void>,
): WriteQueue {
  return {
    run: (fn) =>
      queue.run(async (trx) => {
        await check(trx);
        return fn(trx);
      }),
    current: () => queue.current(),
    afterEachCommit: (listener) => queue.afterEachCommit(listener),
  };
}

/**
 * The queue as seen from inside one running write: `run` joins that write's transaction instead
 * of queueing behind it, which would wait for itself forever. Made only by `inWrite`, from
 * inside the write, so the join is explicit; a failure inside fails the whole outer write.
 */
function joinedQueue(outer: WriteQueue, trx: Transaction<Database>): WriteQueue {
  const hooks = outer.current();
  const joined: WriteQueue = {
    run: (fn) => fn(trx),
    current: () => hooks,
    afterEachCommit: (listener) => outer.afterEachCommit(listener),
  };
  joinedQueues.add(joined);
  return joined;
}

const joinedQueues = new WeakSet<WriteQueue>();

/**
 * Raises when `deps` pairs an open transaction with a queue that would not join it: the write
 * would queue for the connection that transaction holds, and wait for ever.
 */
export function assertJoinable(deps: { db: { isTransaction: boolean }; writes: WriteQueue }): void {
  if (deps.db.isTransaction && !joinedQueues.has(deps.writes))
    throw new Error('a write inside a transaction must join it: pass inWrite(deps, trx)');
}

/**
 * The deps a service gets when it is called from inside a running write (`trx` is that write's
 * transaction): reads and writes alike go through `trx`, and any write it makes joins it.
 */
export function inWrite<D extends { db: unknown; writes: WriteQueue }>(
  deps: D,
  trx: Transaction<Database>,
): D {
  return { ...deps, db: trx, writes: joinedQueue(deps.writes, trx) };
}

/** Puts `group` back as it is now: called when the write about to run is rolled back. */
export function groupRestorer(group: Map<string, unknown>): () => void {
  const before = [...group];
  return () => {
    group.clear();
    for (const [key, value] of before) group.set(key, value);
  };
}

/** A queued write's caller, waiting to hear how its write ended. */
export interface Waiting {
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

/** How one write of a group ended (before the group's commit), with its hooks. */
export type Outcome =
  | { ok: true; value: unknown; hooks: WriteHooks }
  | { ok: false; error: unknown; hooks: WriteHooks };

/**
 * Answers the callers of a committed group, `outcomes[i]` being `waiting[i]`'s: commit hooks then
 * the answer for each write that succeeded, failure hooks then the error for each that did not;
 * then `committed` (the afterEachCommit listeners) once, if anything was written.
 */
export function settleGroup(
  waiting: readonly Waiting[],
  outcomes: readonly Outcome[],
  committed: Iterable<() => void>,
): void {
  waiting.forEach((item, i) => {
    const outcome = outcomes[i]!;
    if (outcome.ok) {
      runHooks(outcome.hooks.commit);
      item.resolve(outcome.value);
    } else {
      runHooks(outcome.hooks.failure);
      item.reject(outcome.error);
    }
  });
  if (outcomes.some((o) => o.ok)) runHooks([...committed]);
}

/** Answers the callers of a group whose commit failed: nothing in it is durable. */
export function failGroup(
  waiting: readonly Waiting[],
  hooks: readonly (WriteHooks | undefined)[],
  error: unknown,
): void {
  waiting.forEach((item, i) => {
    runHooks(hooks[i]?.failure ?? []);
    item.reject(error);
  });
}

/** Runs a write's hooks; a throwing hook must not break the queue: it is reported, the others run. */
export function runHooks(fns: (() => void)[]): void {
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

export const timedOut = Symbol('timed out');

/** `work`, or `timedOut` if it has not settled within `ms`. */
export async function within<T>(work: Promise<T>, ms: number): Promise<T | typeof timedOut> {
  let timer: NodeJS.Timeout | undefined;
  const alarm = new Promise<typeof timedOut>((resolve) => {
    timer = setTimeout(() => resolve(timedOut), ms);
  });
  try {
    return await Promise.race([work, alarm]);
  } finally {
    clearTimeout(timer);
  }
}

/** The watchdog's answer to a write that ran past its time: 503, nothing written. */
export function writeTimedOut(ms: number): DomainError {
  return new DomainError(
    'Unavailable',
    `the write did not finish within ${ms / 1000} s and was rolled back; nothing was written, retry`,
  );
}
