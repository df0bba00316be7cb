import fs from 'node:fs';
import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import type { Db } from '../server/store/db.ts';
import { openDatabase } from '../server/store/sqlite/db.ts';
import { tempDataDir } from '../test/kit/harness.ts';
import { migrations } from './migrations/index.ts';
import { migrateDown, migrateToLatest } from './migrator.ts';

let db: Db | undefined;
let dir: string | undefined;
afterEach(async () => {
  await db?.destroy();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

async function schemaOf(d: Db): Promise<string[]> {
  const rows = await sql<{
    sql: string;
  }>`select sql from sqlite_master where name not like 'kysely_%' and name not like 'sqlite_%' and sql is not null order by name`.execute(
    d,
  );
  return rows.rows.map((r) => r.sql);
}

describe('migrations', () => {
  it('build the schema from empty, tear it down to empty and build it again identically', async () => {
    dir = tempDataDir();
    db = openDatabase(dir);
    const names = Object.keys(migrations);
    expect(await migrateToLatest(db)).toEqual(names);
    const built = await schemaOf(db);
    expect(built.length).toBeGreaterThan(names.length);
    for (const name of [...names].reverse()) expect(await migrateDown(db)).toEqual([name]);
    expect(await schemaOf(db)).toEqual([]);
    expect(await migrateToLatest(db)).toEqual(names);
    expect(await schemaOf(db)).toEqual(built);
  });

  it('are named by timestamp, so their order is their name order', () => {
    const names = Object.keys(migrations);
    expect(names.every((n) => /^\d{4}_\d{2}_\d{2}_\d{6}_[a-z_]+$/.test(n))).toBe(true);
    expect([...names].sort()).toEqual(names);
  });

  it('enforce one live partnership per pair, whichever side invited', async () => {
    dir = tempDataDir();
    db = openDatabase(dir);
    await migrateToLatest(db);
    const at = new Date().toISOString();
    for (const id of ['co_a', 'co_b'])
      await db
        .insertInto('companies')
        .values({ id, slug: id.replace('_', '-'), name: id, created_at: at })
        .execute();
    const row = {
      partner_type: 'reseller' as const,
      tier: 't',
      status: 'invited' as const,
      created_at: at,
      responded_at: null,
      ended_at: null,
      ended_by: null,
    };
    await db
      .insertInto('partnerships')
      .values({ ...row, id: 'p1', inviter_id: 'co_a', invitee_id: 'co_b' })
      .execute();
    await expect(
      db
        .insertInto('partnerships')
        .values({ ...row, id: 'p2', inviter_id: 'co_b', invitee_id: 'co_a' })
        .execute(),
    ).rejects.toThrow(/UNIQUE/);
    await db.updateTable('partnerships').set({ status: 'ended' }).where('id', '=', 'p1').execute();
    await db
      .insertInto('partnerships')
      .values({ ...row, id: 'p3', inviter_id: 'co_b', invitee_id: 'co_a' })
      .execute();
  });
});
