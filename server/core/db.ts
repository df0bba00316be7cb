import fs from 'node:fs';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, SqliteDialect, type SqliteDatabase, type Transaction } from 'kysely';
import type { Database } from '../../schema/database.ts';

export type Db = Kysely<Database>;
/** What repositories take first: the database or an open transaction (a Transaction is a Kysely). */
export type Executor = Kysely<Database>;

export const databaseFileName = 'tandem.sqlite';

/**
 * Opens the deployment's SQLite file in WAL mode. `synchronous = FULL` makes every commit
 * fsync before it returns, so a write the API acknowledged survives a crash or power loss.
 */
export function openDatabase(dataDir: string): Db {
  return openDatabaseHandle(dataDir).db;
}

/**
 * The same, with `dataVersion`: SQLite's counter of commits made by *other* connections (another
 * process such as the CLI), read synchronously, so caches can notice changes they did not make.
 */
export function openDatabaseHandle(dataDir: string): {
  db: Db;
  sql: Sql;
  dataVersion: () => number;
} {
  fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const sqlite = new SQLite(path.join(dataDir, databaseFileName));
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = FULL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  const cached = withStatementCache(sqlite);
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: cached }) });
  // Asked on every authenticated request: prepared once (`pragma()` prepares anew each call).
  const dataVersion = sqlite.prepare('pragma data_version').pluck();
  return { db, sql: directSql(cached), dataVersion: () => dataVersion.get() as number };
}

/**
 * Statements run directly on the connection Kysely uses, so they join whatever transaction it has
 * open. Building and compiling a query through Kysely costs ten times what running it does; the
 * few statements every deal write makes (ledger append, projection inserts) take this path.
 */
export interface Sql {
  run(text: string, params?: readonly unknown[]): void;
  get<T>(text: string, params?: readonly unknown[]): T | undefined;
  all<T>(text: string, params?: readonly unknown[]): T[];
}

function directSql(database: SqliteDatabase): Sql {
  const prepare = (text: string) => database.prepare(text) as unknown as SQLite.Statement;
  return {
    run: (text, params = []) => void prepare(text).run(...params),
    get: <T>(text: string, params: readonly unknown[] = []) => prepare(text).get(...params) as T,
    all: <T>(text: string, params: readonly unknown[] = []) => prepare(text).all(...params) as T[],
  };
}

/** `insert into table (…) values (…)` for a row's defined columns, then `tail` (an upsert clause). */
export function insertRow(sql: Sql, table: string, row: object, tail = ''): void {
  const columns: string[] = [];
  const values: unknown[] = [];
  for (const [column, value] of Object.entries(row)) {
    if (value === undefined) continue;
    columns.push(`"${column}"`);
    values.push(value);
  }
  sql.run(
    `insert into "${table}" (${columns.join(', ')}) values (${columns.map(() => '?').join(', ')}) ${tail}`,
    values,
  );
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

/** Runs `fn` in a transaction, joining the caller's when `db` already is one. */
export function inTransaction<T>(
  db: Kysely<Database>,
  fn: (trx: Transaction<Database>) => Promise<T>,
): Promise<T> {
  return db.isTransaction ? fn(db as Transaction<Database>) : db.transaction().execute(fn);
}
