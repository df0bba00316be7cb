import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../../schema/database.ts';

/** Runs compiled SQL synchronously on the connection: SQLite statements, prepared once by text. */
export type DirectRunner = (sql: string, parameters: readonly unknown[]) => unknown[];

const ofDatabase = new WeakMap<Kysely<Database>, DirectRunner>();
const ofTransaction = new WeakMap<Kysely<Database>, DirectRunner>();

/** Made once per opened database; only its bound transactions use it (see `bindDirect`). */
export function registerDirectRunner(db: Kysely<Database>, runner: DirectRunner): void {
  ofDatabase.set(db, runner);
}

/**
 * Lets prepared queries on `trx` skip Kysely's executor and run on the connection directly. Only a
 * transaction: its holder owns the connection until it ends, while a query on the database itself
 * must wait its turn behind any open transaction, which Kysely's executor does for it.
 */
export function bindDirect(trx: Transaction<Database>, db: Kysely<Database>): void {
  const runner = ofDatabase.get(db);
  if (runner) ofTransaction.set(trx, runner);
}

export function directRunnerOf(db: Kysely<Database>): DirectRunner | undefined {
  return ofTransaction.get(db);
}
