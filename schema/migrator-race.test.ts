import fs from 'node:fs';
import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import type { Db } from '../server/store/db.ts';
import { openPostgres } from '../server/store/postgres/open.ts';
import { openDatabase } from '../server/store/sqlite/db.ts';
import { tempDataDir } from '../test/kit/harness.ts';
import { freshPostgres, testStore } from '../test/kit/stores.ts';
import { migrations } from './migrations/index.ts';
import { migrateToLatest } from './migrator.ts';

// Two instances started at once on an empty database, each migrating on boot (main.ts does).
const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** Two separate connections to one fresh, empty database of the run's store. */
async function twoHandles(): Promise<[Db, Db]> {
  if (testStore() === 'postgres') {
    const store = await freshPostgres();
    cleanups.push(() => store.drop());
    const handles = [1, 2].map(() => openPostgres(store.env.TANDEM_DATABASE_URL!, 2));
    cleanups.push(() => Promise.all(handles.map((h) => h.destroy())).then(() => {}));
    return handles as [Db, Db];
  }
  const dir = tempDataDir();
  cleanups.push(() => fs.rmSync(dir, { recursive: true, force: true }));
  const handles = [1, 2].map(() => openDatabase(dir));
  cleanups.push(() => Promise.all(handles.map((h) => h.destroy())).then(() => {}));
  return handles as [Db, Db];
}

describe(`migrations on ${testStore()}, two instances at once`, () => {
  it('both succeed, and the schema is built once', async () => {
    const [a, b] = await twoHandles();
    const ran = await Promise.all([migrateToLatest(a), migrateToLatest(b)]);
    const names = Object.keys(migrations);
    // Each migration ran in exactly one of them: the other found it done.
    expect([...ran[0], ...ran[1]].sort()).toEqual(names);
    const recorded = await sql<{ name: string }>`select name from kysely_migration`.execute(a);
    expect(recorded.rows.map((r) => r.name).sort()).toEqual(names);
    expect(await migrateToLatest(b)).toEqual([]);
  });
});
