import fs from 'node:fs';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { notesText } from '../../../shared/sync/deal-doc.ts';
import { sealedDeal, sharedDeal } from '../../../test/kit/fixtures.ts';
import { startTestServer, tempDataDir } from '../../../test/kit/harness.ts';
import { runCliAsync } from '../../../test/kit/process.ts';
import { freshPostgres } from '../../../test/kit/stores.ts';
import { eventually, joinRoom } from '../../../test/kit/sync-client.ts';
import { verifyLedger } from '../../ledger/ledger-verify.ts';
import type { Db } from '../../store/db.ts';
import { openPostgres } from '../../store/postgres/open.ts';
import { openDatabase } from '../../store/sqlite/db.ts';
import { storeTables, tableNames, type TableName } from '../../store/store-tables.ts';

const dirs: string[] = [];
const databases: Awaited<ReturnType<typeof freshPostgres>>[] = [];
const install = tempDataDir();
const publicUrl = 'http://tandem.test';

async function newPostgres(): Promise<string> {
  const pg = await freshPostgres();
  databases.push(pg);
  return pg.env.TANDEM_DATABASE_URL!;
}

function newDir(): string {
  const dir = tempDataDir();
  dirs.push(dir);
  return dir;
}

/** Every row of a table, in key order. */
function rows(db: Db, table: TableName): Promise<Record<string, unknown>[]> {
  let query = db.selectFrom(table).selectAll();
  for (const column of storeTables[table].key) query = query.orderBy(sql.ref(column));
  return query.execute();
}

async function counts(db: Db): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const table of tableNames) {
    const row = await db
      .selectFrom(table)
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    out[table] = Number(row.n);
  }
  return out;
}

async function withDb<T>(db: Db, fn: (db: Db) => Promise<T>): Promise<T> {
  try {
    return await fn(db);
  } finally {
    await db.destroy();
  }
}

// One real install, made through the server: partners, a shared deal edited in its room (the
// document's updates are bytes), and a sealed attribution.
beforeAll(async () => {
  dirs.push(install);
  const server = await startTestServer({ dataDir: install, notesEveryMs: 10 });
  const { acme, globex } = await sealedDeal(server);
  const pair = {
    acme,
    globex,
    a: server.client(await acme.memberToken('alliance')),
    b: server.client(await globex.memberToken('alliance')),
  };
  const dealId = await sharedDeal(pair, 'Moving house');
  const room = joinRoom(server.url, dealId, await acme.memberToken('alliance'));
  await room.synced;
  notesText(room.doc).insert(0, 'Kick-off on Monday');
  await eventually(async () => {
    const row = await server.deps.db
      .selectFrom('deal_doc_updates')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    expect(Number(row.n)).toBeGreaterThan(0);
  });
  room.stop();
  await server.stop();
}, 60_000);

afterAll(async () => {
  await Promise.all(databases.map((d) => d.drop()));
  dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true }));
});

describe('tandem db copy', () => {
  it('copies a SQLite install into PostgreSQL and back, every row and byte, and the ledger verifies', async () => {
    const url = await newPostgres();
    const env = { TANDEM_DATA_DIR: install, TANDEM_PUBLIC_URL: publicUrl };
    // Pages of two rows: every table with a composite key is read across several pages.
    const toPostgres = await runCliAsync(['db', 'copy', '--to', url, '--batch', '2'], env);
    expect(toPostgres.stderr).toBe('');
    expect(toPostgres.status).toBe(0);
    expect(toPostgres.stdout).toContain('master.key is not in the database');

    const source = await withDb(openDatabase(install), async (db) => ({
      counts: await counts(db),
      rows: Object.fromEntries(
        await Promise.all(tableNames.map(async (t) => [t, await rows(db, t)] as const)),
      ),
    }));
    for (const table of ['companies', 'ledger_events', 'attribution_versions', 'deal_doc_updates'])
      expect(source.counts[table], table).toBeGreaterThan(0);
    expect(toPostgres.stdout).toContain(`ledger ok (${source.counts.ledger_events} events)`);

    await withDb(openPostgres(url, 2), async (db) => {
      expect(await counts(db)).toEqual(source.counts);
      expect((await verifyLedger(db)).ok).toBe(true);
      const updates = await rows(db, 'deal_doc_updates');
      expect(updates.map((r) => Buffer.from(r.update as Uint8Array))).toEqual(
        source.rows.deal_doc_updates!.map((r) => Buffer.from(r.update as Uint8Array)),
      );
    });

    const back = newDir();
    const toSqlite = await runCliAsync(['db', 'copy', '--to-data-dir', back, '--batch', '3'], {
      ...env,
      TANDEM_DATABASE_URL: url,
    });
    expect(toSqlite.stderr).toBe('');
    expect(toSqlite.status).toBe(0);
    await withDb(openDatabase(back), async (db) => {
      for (const table of tableNames)
        expect(await rows(db, table), table).toEqual(source.rows[table]);
    });

    // New rows continue after the copied ids (the serial sequence was moved past them).
    await withDb(openPostgres(url, 2), async (db) => {
      const { id } = await db
        .insertInto('deal_doc_updates')
        .values({
          deal_id: source.rows.opportunities![0]!.id as string,
          update: new Uint8Array([1]),
          at: 'now',
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      expect(id).toBe(Math.max(...source.rows.deal_doc_updates!.map((r) => r.id as number)) + 1);
    });
  });

  it('refuses a target that holds rows, and says what to do', async () => {
    const url = await newPostgres();
    const env = { TANDEM_DATA_DIR: install, TANDEM_PUBLIC_URL: publicUrl };
    expect((await runCliAsync(['db', 'copy', '--to', url], env)).status).toBe(0);
    const again = await runCliAsync(['db', 'copy', '--to', url], env);
    expect(again.status).toBe(1);
    expect(again.stderr).toMatch(/is not empty \(companies: \d+, /);
    expect(again.stderr).toContain('Copy into an empty database');
  });

  it('leaves the target empty and names the broken link when the ledger does not verify', async () => {
    const tampered = newDir();
    fs.cpSync(install, tampered, { recursive: true });
    await withDb(openDatabase(tampered), (db) =>
      db
        .updateTable('ledger_events')
        .set({ at: '2020-01-01T00:00:00.000Z' })
        .where('seq', '=', 3)
        .execute(),
    );
    const url = await newPostgres();
    const copy = await runCliAsync(['db', 'copy', '--to', url], {
      TANDEM_DATA_DIR: tampered,
      TANDEM_PUBLIC_URL: publicUrl,
    });
    expect(copy.status).toBe(1);
    expect(copy.stderr).toContain('does not verify on the target at event 3');
    await withDb(openPostgres(url, 2), async (db) =>
      expect(Object.values(await counts(db)).every((n) => n === 0)).toBe(true),
    );
  });

  it('wants exactly one target', async () => {
    const env = { TANDEM_DATA_DIR: install, TANDEM_PUBLIC_URL: publicUrl };
    const none = await runCliAsync(['db', 'copy'], env);
    expect(none.status).toBe(2);
    expect(none.stderr).toContain('--to <postgres://…> or --to-data-dir <dir>');
    const notUrl = await runCliAsync(['db', 'copy', '--to', newDir()], env);
    expect(notUrl.status).toBe(2);
  });
});
