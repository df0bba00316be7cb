import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import type { Database } from '../../../schema/database.ts';
import type { Db } from '../db.ts';
import { DeferringPostgresDialect } from './deferred-inserts.ts';

// bigint (int8) and count(*) arrive as strings from `pg`; every integer Tandem stores (money in
// minor units, sequence numbers, counts) fits a double exactly, and the code reads numbers.
pg.types.setTypeParser(pg.types.builtins.INT8, (value) => Number(value));
pg.types.setTypeParser(pg.types.builtins.NUMERIC, (value) => Number(value));

/**
 * Opens a pool on `url` (at most `pool` connections) and Kysely over it. An idle connection the
 * server drops (a restart, an administrator's terminate) is reported to `onIdleError` and
 * replaced by the pool on the next query: unhandled, it would end the process.
 */
export function openPostgres(
  url: string,
  pool: number,
  onIdleError: (error: Error) => void = () => {},
): Db {
  return openPostgresStore(url, pool, onIdleError).db;
}

/**
 * `openPostgres`, with a second Kysely on the same pool for write transactions, whose inserts into
 * `deferrable` tables are held back and sent together (deferred-inserts.ts). Destroy `db` only:
 * it ends the shared pool.
 */
export function openPostgresStore(
  url: string,
  pool: number,
  onIdleError: (error: Error) => void = () => {},
  deferrable: ReadonlySet<string> = new Set(),
): { db: Db; writer: Db } {
  const connections = new pg.Pool({ connectionString: url, max: pool });
  connections.on('error', onIdleError);
  return {
    db: new Kysely<Database>({ dialect: new PostgresDialect({ pool: connections }) }),
    writer: new Kysely<Database>({
      dialect: new DeferringPostgresDialect({ pool: connections }, deferrable),
    }),
  };
}

/** The URL with its password hidden, for logs and messages. */
export function redactedUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return 'postgres://(unparsable URL)';
  }
}
