import path from 'node:path';
import SQLite from 'better-sqlite3';
import { databaseFileName } from '../../server/store/sqlite/db.ts';
import {
  floorDeal,
  floorDealsPerCommit,
  floorStatements,
  type FloorStatement,
} from './floor-deal.ts';
import { prepareWorld } from './tandem-world.ts';

/**
 * The floor under a batch upsert on this machine: the rows one new deal writes (floor-deal.ts)
 * inserted into the real schema with bare better-sqlite3 statements prepared once, 100 deals a
 * transaction, `synchronous = FULL`. No HTTP, validation, access checks, hashing or duplicate
 * search: what SQLite and the disk allow. Deals written per second.
 */
export async function sqliteFloor(seconds: number): Promise<number> {
  const world = await prepareWorld();
  const db = new SQLite(path.join(world.dataDir, databaseFileName));
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    db.pragma('foreign_keys = ON');
    const company = db
      .prepare('select id from companies order by slug limit 1')
      .pluck()
      .get() as string;
    const prepared = Object.fromEntries(
      Object.entries(floorStatements).map(([name, text]) => [name, db.prepare(text)]),
    ) as Record<FloorStatement, SQLite.Statement>;
    let seq = db.prepare('select coalesce(max(seq), 0) from ledger_events').pluck().get() as number;
    let written = 0;
    const writeHundred = db.transaction(() => {
      const at = new Date().toISOString();
      for (let k = 0; k < floorDealsPerCommit; k++) {
        for (const [statement, values] of floorDeal(company, written++, at, () => ++seq))
          prepared[statement].run(...values);
      }
    });
    const start = performance.now();
    const until = start + seconds * 1000;
    while (performance.now() < until) writeHundred();
    return written / ((performance.now() - start) / 1000);
  } finally {
    db.close();
    world.remove();
  }
}
