import fs from 'node:fs';
import { sql, type Transaction } from 'kysely';
import type { Database } from '../../../schema/database.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDataDir } from '../../../test/kit/harness.ts';
import type { Db } from '../db.ts';
import { openDatabase } from './db.ts';
import { directRunnerOf, withDirect } from './direct-runner.ts';
import { PreparedQuery } from './prepared-query.ts';

let dir: string;
let db: Db;
beforeAll(async () => {
  dir = tempDataDir();
  db = openDatabase(dir);
  await sql`create table companies (id text primary key, slug text not null, name text)`.execute(
    db,
  );
});
afterAll(async () => {
  await db.destroy();
  fs.rmSync(dir, { recursive: true, force: true });
});

const insert = new PreparedQuery<{ id: string; slug: string; name?: string }, unknown>(
  (kysely, param) =>
    kysely
      .insertInto('companies')
      .values({ id: param('id'), slug: param('slug'), name: param('name') } as never),
);
const bySlug = new PreparedQuery<{ slug: string }, { id: string; name: string | null }>(
  (kysely, param) =>
    kysely.selectFrom('companies').select(['id', 'name']).where('slug', '=', param('slug')),
);

describe('PreparedQuery', () => {
  it('runs with new values each time, a left-out value as NULL, through Kysely outside a bound transaction', async () => {
    await insert.execute(db, { id: 'c1', slug: 'one', name: 'One' });
    await insert.execute(db, { id: 'c2', slug: 'two' });
    expect(await bySlug.executeTakeFirst(db, { slug: 'one' })).toEqual({ id: 'c1', name: 'One' });
    expect(await bySlug.executeTakeFirst(db, { slug: 'two' })).toEqual({ id: 'c2', name: null });
    expect(await bySlug.executeTakeFirst(db, { slug: 'none' })).toBeUndefined();
  });

  it('runs directly only inside withDirect, rolls back with its transaction, and a finished transaction is refused', async () => {
    expect(directRunnerOf(db)).toBeUndefined();
    let finished: Transaction<Database> | undefined;
    await expect(
      db.transaction().execute((trx) =>
        withDirect(trx, db, async () => {
          finished = trx;
          expect(directRunnerOf(trx)).toBeDefined();
          await insert.execute(trx, { id: 'c3', slug: 'three', name: 'Three' });
          expect(await bySlug.executeTakeFirst(trx, { slug: 'three' })).toEqual({
            id: 'c3',
            name: 'Three',
          });
          throw new Error('roll back');
        }),
      ),
    ).rejects.toThrow('roll back');
    expect(await bySlug.executeTakeFirst(db, { slug: 'three' })).toBeUndefined();
    // Unbound once over: Kysely refuses it rather than writing outside any transaction.
    expect(directRunnerOf(finished!)).toBeUndefined();
    await expect(insert.execute(finished!, { id: 'c4', slug: 'four' })).rejects.toThrow();
    expect(await bySlug.executeTakeFirst(db, { slug: 'four' })).toBeUndefined();
  });
});
