import type { Transaction } from 'kysely';
import type { Database } from '../../../schema/database.ts';
import { fenceWrite } from './write-fence.ts';
import {
  groupRestorer,
  runHooks,
  timedOut,
  within,
  writeTimedOut,
  type Outcome,
  type WriteHooks,
} from '../write-queue.ts';

/**
 * Runs one write of a group transaction, on either store: in a fenced view of the transaction
 * (refused once the write is over), with its hooks as the queue's current ones and the group's
 * state (put back if the write is undone). `keep` ends a write that succeeded (its savepoint
 * released), `undo` one that failed or ran past `timeoutMs` (rolled back to its savepoint).
 */
export async function runGroupWrite(input: {
  trx: Transaction<Database>;
  fn: (trx: Transaction<Database>) => Promise<unknown>;
  hooks: WriteHooks;
  group: Map<string, unknown>;
  timeoutMs: number;
  onTimeout?: (elapsedMs: number) => void;
  setCurrent: (hooks: WriteHooks | undefined) => void;
  keep: () => Promise<unknown>;
  undo: () => Promise<unknown>;
}): Promise<Outcome & { timedOut: boolean }> {
  const { hooks } = input;
  hooks.group = input.group;
  const restore = groupRestorer(input.group);
  const fence = fenceWrite(input.trx);
  const started = Date.now();
  input.setCurrent(hooks);
  try {
    const value = await within(input.fn(fence.trx), input.timeoutMs);
    fence.close();
    input.setCurrent(undefined);
    if (value === timedOut) {
      input.onTimeout?.(Date.now() - started);
      restore();
      await input.undo();
      return { ok: false, error: writeTimedOut(input.timeoutMs), hooks, timedOut: true };
    }
    await input.keep();
    runHooks(hooks.success);
    return { ok: true, value, hooks, timedOut: false };
  } catch (error) {
    fence.close();
    input.setCurrent(undefined);
    restore();
    await input.undo();
    return { ok: false, error, hooks, timedOut: false };
  }
}
