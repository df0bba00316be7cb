import { PostgresAdapter, sql } from 'kysely';
import type { Executor } from './db.ts';

/**
 * After rows were written with explicit ids, makes the next id the database picks follow the
 * largest one. PostgreSQL's serial sequence does not see explicit ids, so it is set past them;
 * SQLite's autoincrement counter (sqlite_sequence) already follows every id inserted.
 */
export async function advanceSerial(db: Executor, table: string, column: string): Promise<void> {
  if (!(db.getExecutor().adapter instanceof PostgresAdapter)) return;
  await sql`select setval(pg_get_serial_sequence(${table}, ${column}),
    coalesce(max(${sql.ref(column)}), 0) + 1, false) from ${sql.table(table)}`.execute(db);
}
