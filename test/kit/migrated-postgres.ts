import { afterAll, beforeAll } from 'vitest';
import { migrateToLatest } from '../../schema/migrator.ts';
import type { Db } from '../../server/store/db.ts';
import { openPostgres } from '../../server/store/postgres/open.ts';
import { freshPostgres } from './stores.ts';

/**
 * For a suite that tests one PostgreSQL-backed class without a server: a fresh database of its
 * own, migrated before the suite and dropped after. Read `db` inside the tests.
 */
export function migratedPostgres(): { readonly db: Db } {
  let store: Awaited<ReturnType<typeof freshPostgres>> | undefined;
  let db: Db | undefined;
  beforeAll(async () => {
    store = await freshPostgres();
    db = openPostgres(store.env.TANDEM_DATABASE_URL!, 4);
    await migrateToLatest(db);
  });
  afterAll(async () => {
    await db?.destroy();
    await store?.drop();
  });
  return {
    get db(): Db {
      return db!;
    },
  };
}
