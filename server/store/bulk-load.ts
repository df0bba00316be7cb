import { sql, SqliteAdapter } from 'kysely';
import type { Db } from './db.ts';

/**
 * Runs a one-off batch job (the demo seed) without a sync to disk per write, then makes it all
 * durable at once. SQLite: `synchronous = OFF` for the job, then FULL and a WAL checkpoint. On
 * PostgreSQL each commit stays durable (its pool gives no one session to change): nothing to do.
 */
export async function bulkLoad<T>(db: Db, job: () => Promise<T>): Promise<T> {
  if (!(db.getExecutor().adapter instanceof SqliteAdapter)) return job();
  await sql`pragma synchronous = OFF`.execute(db);
  try {
    return await job();
  } finally {
    await sql`pragma synchronous = FULL`.execute(db);
    await sql`pragma wal_checkpoint(TRUNCATE)`.execute(db);
  }
}
