import { Migrator, SqliteAdapter, type Kysely, type MigrationResultSet } from 'kysely';
import { migrations } from './migrations/index.ts';

// Migrations see the database untyped, as it was when each was written.
function migrator<DB>(db: Kysely<DB>): Migrator {
  return new Migrator({
    db: db as unknown as Kysely<unknown>,
    provider: { getMigrations: async () => migrations },
  });
}

/** Thrown when a migration fails; names the migration so an operator knows where it stopped. */
export class MigrationError extends Error {
  override name = 'MigrationError';
}

function check(result: MigrationResultSet): string[] {
  if (result.error) {
    const failed = result.results?.find((r) => r.status === 'Error')?.migrationName ?? 'unknown';
    throw new MigrationError(`migration ${failed} failed: ${String(result.error)}`, {
      cause: result.error,
    });
  }
  return (result.results ?? []).map((r) => r.migrationName);
}

/**
 * Brings the database to the newest schema; returns the names of the migrations it ran. Safe
 * when several instances start at once on one database: each migration runs once.
 */
export async function migrateToLatest<DB>(db: Kysely<DB>): Promise<string[]> {
  // PostgreSQL: Kysely's migrator holds an advisory lock, so a second instance waits, then finds
  // the work done. SQLite: it takes no lock (it assumes one connection), so a second handle on the
  // file can read the old state and fail on the first instance's tables; its transaction rolls
  // back whole (SQLite's DDL is transactional), and another try finds the work done. A migration
  // that is itself broken fails every try.
  const retries = db.getExecutor().adapter instanceof SqliteAdapter ? 4 : 0;
  for (let attempt = 0; ; attempt++) {
    const result = await migrator(db).migrateToLatest();
    if (!result.error || attempt >= retries) return check(result);
    await new Promise((resolve) => setTimeout(resolve, 20 * (attempt + 1)));
  }
}

/** Undoes the newest migration; returns its name (empty when nothing was applied). */
export async function migrateDown<DB>(db: Kysely<DB>): Promise<string[]> {
  return check(await migrator(db).migrateDown());
}

/** The migrations this code knows that the database has not run (readiness: empty when current). */
export async function pendingMigrations<DB>(db: Kysely<DB>): Promise<string[]> {
  const known = await migrator(db).getMigrations();
  return known.filter((m) => m.executedAt === undefined).map((m) => m.name);
}
