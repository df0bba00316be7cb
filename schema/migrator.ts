import { Migrator, type Kysely, type MigrationResultSet } from 'kysely';
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

/** Brings the database to the newest schema; returns the names of the migrations it ran. */
export async function migrateToLatest<DB>(db: Kysely<DB>): Promise<string[]> {
  return check(await migrator(db).migrateToLatest());
}

/** Undoes the newest migration; returns its name (empty when nothing was applied). */
export async function migrateDown<DB>(db: Kysely<DB>): Promise<string[]> {
  return check(await migrator(db).migrateDown());
}
