import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import pg from 'pg';

// What durability alone costs an edit on this machine, now: a relayed edit waits for one commit,
// and the in-memory reference waits for none. The sync bench adds it to the reference's latency.

/** Latencies (ms) of `count` bare commits of one small row: WAL, `synchronous = FULL`, fresh file. */
export function sqliteCommitLatencies(count: number): number[] {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tandem-commit-'));
  const db = new SQLite(path.join(dir, 'floor.sqlite'));
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    db.exec('create table updates (id integer primary key, body blob)');
    const insert = db.prepare('insert into updates (body) values (?)');
    const body = Buffer.alloc(64);
    const out: number[] = [];
    for (let i = 0; i < count; i++) {
      const started = performance.now();
      insert.run(body);
      out.push(performance.now() - started);
    }
    return out;
  } finally {
    db.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** The same on PostgreSQL at `url`: one insert committed on its own (`synchronous_commit = on`). */
export async function postgresCommitLatencies(url: string, count: number): Promise<number[]> {
  const client = new pg.Client(url);
  await client.connect();
  try {
    // Not a temporary table: those are not logged, so their commits wait for no WAL flush.
    await client.query('create table floor_updates (id serial primary key, body bytea)');
    const body = Buffer.alloc(64);
    const out: number[] = [];
    for (let i = 0; i < count; i++) {
      const started = performance.now();
      await client.query({
        name: 'floor',
        text: 'insert into floor_updates (body) values ($1)',
        values: [body],
      });
      out.push(performance.now() - started);
    }
    await client.query('drop table floor_updates');
    return out;
  } finally {
    await client.end();
  }
}
