import type { Executor } from '../store/db.ts';

/**
 * Work that must run once per cluster (webhook delivery, checkpoints, compaction, the notes
 * sweep) runs on the instance that holds its lease. A lease lapses unless renewed, so a dead
 * holder's work moves to another instance after `ttlMs`; each change of holder raises the
 * lease's epoch, and the holder's writes check theirs (`fence`), so a holder that lost its lease
 * without noticing (paused, cut off) cannot write after its successor started.
 */
export interface Leases {
  /** Takes `name`, or renews it, for `ttlMs`: the epoch while this instance holds it, else null. */
  acquire(name: string, ttlMs: number): Promise<number | null>;
  /**
   * Inside a write (`trx` its transaction): throws LeaseLost unless this instance still holds
   * `name` at `epoch`, and keeps the lease from changing hands until the write ends.
   */
  fence(trx: Executor, name: string, epoch: number): Promise<void>;
  /** Gives `name` up (a clean stop), so another instance need not wait for it to lapse. */
  release(name: string): Promise<void>;
}

export class LeaseLost extends Error {
  override name = 'LeaseLost';
  constructor(lease: string) {
    super(`this instance no longer holds the ${lease} lease`);
  }
}

/** A lone instance (SQLite) holds every lease, for good. */
export const soleLeases: Leases = {
  acquire: () => Promise.resolve(1),
  fence: () => Promise.resolve(),
  release: () => Promise.resolve(),
};
