import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../../../schema/database.ts';

/** Runs compiled SQL synchronously on the connection: SQLite statements, prepared once by text. */
export type DirectRunner = (sql: string, parameters: readonly unknown[]) => unknown[];

const ofDatabase = new WeakMap<Kysely<Database>, DirectRunner>();
const ofTransaction = new WeakMap<Kysely<Database>, DirectRunner>();

/** Made once per opened database; only transactions in `withDirect` use it. */
export function registerDirectRunner(db: Kysely<Database>, runner: DirectRunner): void {
  ofDatabase.set(db, runner);
}

/**
 * Runs `fn` with prepared queries on `trx` skipping Kysely's executor and running on the connection
 * directly, and unbinds `trx` when `fn` ends: a transaction that is over falls back to Kysely, which
 * refuses it. Only a transaction: its holder owns the connection until it ends, while a query on
 * the database itself must wait its turn behind any open transaction, which Kysely does for it.
 */
export async function withDirect<T>(
  trx: Transaction<Database>,
  db: Kysely<Database>,
  fn: () => Promise<T>,
): Promise<T> {
  const runner = ofDatabase.get(db);
  if (runner) ofTransaction.set(trx, runner);
  try {
    return await fn();
  } finally {
    ofTransaction.delete(trx);
  }
}

/** Lets `to` (a view of the transaction `from`, e.g. with a plugin) run prepared queries directly too. */
export function shareDirect(from: Kysely<Database>, to: Kysely<Database>): void {
  const runner = ofTransaction.get(from);
  if (runner) ofTransaction.set(to, runner);
}

export function unbindDirect(trx: Kysely<Database>): void {
  ofTransaction.delete(trx);
}

export function directRunnerOf(db: Kysely<Database>): DirectRunner | undefined {
  return ofTransaction.get(db);
}
