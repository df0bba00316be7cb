import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import type { Database } from '../../../schema/database.ts';
import type { Db } from '../db.ts';

// bigint (int8) and count(*) arrive as strings from `pg`; every integer Tandem stores (money in
// minor units, sequence numbers, counts) fits a double exactly, and the code reads numbers.
pg.types.setTypeParser(pg.types.builtins.INT8, (value) => Number(value));
pg.types.setTypeParser(pg.types.builtins.NUMERIC, (value) => Number(value));

/** Opens a pool on `url` (at most `pool` connections) and Kysely over it. */
export function openPostgres(url: string, pool: number): Db {
  return new Kysely<Database>({
    dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: url, max: pool }) }),
  });
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
