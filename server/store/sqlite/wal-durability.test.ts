import fs from 'node:fs';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { tempDataDir } from '../../../test/kit/harness.ts';
import type { Database } from '../../../schema/database.ts';
import { GroupCommit } from './group-commit.ts';
import { GatedSqliteDialect, WalFlush } from './wal-durability.ts';

/** The real flush, held back until the test lets it go: a disk as slow as the test wants. */
class HeldFlush extends WalFlush {
  flushes = 0;
  #gates: (() => void)[] = [];
  override async flush(): Promise<void> {
    this.flushes++;
    await new Promise<void>((resolve) => this.#gates.push(resolve));
    await super.flush();
  }
  /** Lets the oldest held flush go on to the disk. */
  release(): void {
    this.#gates.shift()?.();
  }
  get held(): number {
    return this.#gates.length;
  }
}

let dir: string;
let wal: HeldFlush;
let db: Kysely<Database>;

beforeEach(async () => {
  dir = tempDataDir();
  const file = path.join(dir, 'test.sqlite');
  const sqlite = new SQLite(file);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = NORMAL');
  wal = new HeldFlush(`${file}-wal`);
  db = new Kysely<Database>({ dialect: new GatedSqliteDialect({ database: sqlite }, wal) });
  const setup = sql`create table notes (text text not null)`.execute(db);
  await until(() => wal.held === 1);
  wal.release();
  await setup;
});
afterEach(async () => {
  await db.destroy();
  fs.rmSync(dir, { recursive: true, force: true });
});

async function until(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !condition(); i++) await new Promise((r) => setTimeout(r, 5));
  expect(condition()).toBe(true);
}

const notes = async () =>
  (await sql<{ text: string }>`select text from notes`.execute(db)).rows.map((r) => r.text);

describe('SQLite commits flushed off the event loop', () => {
  it('answers a write only after its flush, keeps the loop turning, and lets no one read it before', async () => {
    const writes = new GroupCommit(db);
    let answered = false;
    const write = writes
      .run((trx) => sql`insert into notes (text) values ('held')`.execute(trx))
      .then(() => (answered = true));
    await until(() => wal.held === 1);
    // The commit is in the WAL but not flushed: the loop runs timers, the writer waits, and a
    // read waits for the connection.
    let ticks = 0;
    const timer = setInterval(() => ticks++, 1);
    let read: string[] | undefined;
    const reading = notes().then((rows) => (read = rows));
    await new Promise((r) => setTimeout(r, 30));
    clearInterval(timer);
    expect(ticks).toBeGreaterThan(5);
    expect(answered).toBe(false);
    expect(read).toBeUndefined();
    wal.release();
    await write;
    await reading;
    expect(answered).toBe(true);
    expect(read).toEqual(['held']);
  });

  it('flushes a statement that commits on its own, and not a read', async () => {
    const before = wal.flushes;
    await notes();
    expect(wal.flushes).toBe(before);
    const insert = sql`insert into notes (text) values ('alone')`.execute(db);
    await until(() => wal.held === 1);
    wal.release();
    await insert;
    expect(wal.flushes).toBe(before + 1);
    expect(await notes()).toEqual(['alone']);
  });

  it('does not flush the statements inside a transaction, only its commit', async () => {
    const before = wal.flushes;
    const done = db.transaction().execute(async (trx) => {
      await sql`insert into notes (text) values ('a')`.execute(trx);
      await sql`insert into notes (text) values ('b')`.execute(trx);
    });
    await until(() => wal.held === 1);
    expect(wal.flushes).toBe(before + 1);
    wal.release();
    await done;
    expect(await notes()).toEqual(['a', 'b']);
  });
});
