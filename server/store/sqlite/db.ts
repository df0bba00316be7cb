import fs from 'node:fs';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, SqliteDialect, type SqliteDatabase } from 'kysely';
import type { Database } from '../../../schema/database.ts';
import { registerDirectRunner } from './direct-runner.ts';
import { GatedSqliteDialect, WalFlush } from './wal-durability.ts';

import type { Db } from '../db.ts';

export const databaseFileName = 'tandem.sqlite';

/**
 * Opens the deployment's SQLite file in WAL mode. `synchronous = FULL` makes every commit
 * fsync before it returns, so a write the API acknowledged survives a crash or power loss. (The
 * server opens it with `flushOffLoop`: the same flush, made on the thread pool.)
 */
export function openDatabase(dataDir: string): Db {
  return openDatabaseHandle(dataDir).db;
}

/**
 * The same, with `dataVersion`: SQLite's counter of commits made by *other* connections (another
 * process such as the CLI), read synchronously, so caches can notice changes they did not make.
 */
export function openDatabaseHandle(
  dataDir: string,
  options: { flushOffLoop?: boolean } = {},
): { db: Db; dataVersion: () => number } {
  fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const file = path.join(dataDir, databaseFileName);
  const sqlite = new SQLite(file);
  sqlite.pragma('journal_mode = WAL');
  // Off the loop, the commit only writes the WAL and the driver flushes it (wal-durability.ts).
  sqlite.pragma(options.flushOffLoop ? 'synchronous = NORMAL' : 'synchronous = FULL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  const cached = withStatementCache(sqlite);
  const dialect = options.flushOffLoop
    ? new GatedSqliteDialect({ database: cached }, new WalFlush(`${file}-wal`))
    : new SqliteDialect({ database: cached });
  const db = new Kysely<Database>({ dialect });
  registerDirectRunner(db, (sql, parameters) => {
    const statement = cached.prepare(sql) as unknown as SQLite.Statement;
    if (statement.reader) return statement.all(...parameters);
    statement.run(...parameters);
    return [];
  });
  // Asked on every authenticated request: prepared once (`pragma()` prepares anew each call).
  const dataVersion = sqlite.prepare('pragma data_version').pluck();
  return { db, dataVersion: () => dataVersion.get() as number };
}

/**
 * Kysely prepares every query anew, and preparing costs more than running a point lookup. Queries
 * are built from a few shapes, so prepared statements are kept by SQL text (bounded: shapes with
 * `in (…)` lists of varying length come and go).
 */
function withStatementCache(sqlite: SQLite.Database, max = 1000): SqliteDatabase {
  const cache = new Map<string, SQLite.Statement>();
  return {
    close: () => sqlite.close(),
    prepare(sql: string) {
      let statement = cache.get(sql);
      if (!statement) {
        if (cache.size >= max) cache.delete(cache.keys().next().value!);
        statement = sqlite.prepare(sql);
        cache.set(sql, statement);
      }
      return statement;
    },
  } as SqliteDatabase;
}
