import { PostgresAdapter, type Kysely } from 'kysely';

// The few column types SQLite and PostgreSQL spell differently. Frozen like the migrations that
// use it: a change here would change what an old migration creates.

export function isPostgres(db: Kysely<unknown>): boolean {
  return db.getExecutor().adapter instanceof PostgresAdapter;
}

/** A whole number: SQLite's integer is 64-bit, PostgreSQL's 32-bit (money in minor units overflows it). */
export function int(db: Kysely<unknown>): 'integer' | 'bigint' {
  return isPostgres(db) ? 'bigint' : 'integer';
}

/** A floating-point number: PostgreSQL's `real` is single precision. */
export function float(db: Kysely<unknown>): 'real' | 'double precision' {
  return isPostgres(db) ? 'double precision' : 'real';
}

/** An auto-numbered primary key column's type: SQLite adds `autoincrement`, PostgreSQL has serials. */
export function serial(db: Kysely<unknown>): 'integer' | 'bigserial' {
  return isPostgres(db) ? 'bigserial' : 'integer';
}

/** Raw bytes: SQLite's blob is PostgreSQL's bytea. */
export function bytes(db: Kysely<unknown>): 'blob' | 'bytea' {
  return isPostgres(db) ? 'bytea' : 'blob';
}
