import { sql, type Kysely } from 'kysely';
import { migrateToLatest } from '../../schema/migrator.ts';
import type { Db, Executor } from './db.ts';
import { advanceSerial } from './serials.ts';
import { storeTables, tableNames, type TableName } from './store-tables.ts';

/** Tables seen by name: the copy moves rows it does not read. */
type Row = Record<string, unknown>;
type AnyTables = Kysely<Record<string, Row>>;

// Bound parameters per insert: under SQLite's limit (32766) and PostgreSQL's (65535).
const maxParameters = 16_000;

/** The target holds Tandem rows already: a copy goes into an empty database only. */
export class TargetNotEmpty extends Error {
  override name = 'TargetNotEmpty';
  constructor(readonly tables: { table: TableName; rows: number }[]) {
    super(`the target holds rows in ${tables.map((t) => `${t.table} (${t.rows})`).join(', ')}`);
  }
}

export interface CopyOptions {
  /** Rows read from the source per page. */
  pageSize?: number;
  /** Runs on the target inside its transaction once every row is in; throwing undoes the copy. */
  check?: (target: Executor) => Promise<void>;
}

export type CopyCounts = Record<TableName, number>;

/**
 * Copies every table from `source` into `target`, both migrated to the newest schema first. The
 * source is read in one snapshot (a repeatable-read transaction), page by page on its primary
 * key; the target is written in one transaction, so a copy that fails, or that `check` vetoes,
 * leaves it as empty as it was. Raises TargetNotEmpty when the target holds any row.
 */
export async function copyStore(
  source: Db,
  target: Db,
  options: CopyOptions = {},
): Promise<CopyCounts> {
  await migrateToLatest(source);
  await migrateToLatest(target);
  return source
    .transaction()
    .setIsolationLevel('repeatable read')
    .setAccessMode('read only')
    .execute((from) =>
      target.transaction().execute(async (to) => {
        await refuseNonEmpty(to);
        const counts = {} as CopyCounts;
        for (const table of tableNames) {
          counts[table] = await copyTable(from, to, table, options.pageSize ?? 1000);
          const serial = storeTables[table].serial;
          if (serial) await advanceSerial(to, table, serial);
        }
        await options.check?.(to);
        return counts;
      }),
    );
}

async function refuseNonEmpty(db: Executor): Promise<void> {
  const loose = db as unknown as AnyTables;
  const filled: { table: TableName; rows: number }[] = [];
  for (const table of tableNames) {
    const { rows } = await loose
      .selectFrom(table)
      .select((eb) => eb.fn.countAll<number>().as('rows'))
      .executeTakeFirstOrThrow();
    if (Number(rows) > 0) filled.push({ table, rows: Number(rows) });
  }
  if (filled.length > 0) throw new TargetNotEmpty(filled);
}

/** Keyset pagination: each page starts after the last key of the one before, so memory stays flat. */
async function copyTable(from: Db, to: Db, table: TableName, pageSize: number): Promise<number> {
  const source = from as unknown as AnyTables;
  const target = to as unknown as AnyTables;
  const key: readonly string[] = storeTables[table].key;
  let after: unknown[] | undefined;
  let copied = 0;
  for (;;) {
    let query = source.selectFrom(table).selectAll().limit(pageSize);
    if (after) query = query.where(sql<boolean>`(${columns(key)}) > (${sql.join(after)})`);
    for (const column of key) query = query.orderBy(sql.ref(column));
    const page = await query.execute();
    if (page.length === 0) return copied;
    const perInsert = Math.max(1, Math.floor(maxParameters / Object.keys(page[0]!).length));
    for (let i = 0; i < page.length; i += perInsert)
      await target
        .insertInto(table)
        .values(page.slice(i, i + perInsert))
        .execute();
    copied += page.length;
    if (page.length < pageSize) return copied;
    const last = page[page.length - 1]!;
    after = key.map((k) => last[k]);
  }
}

function columns(key: readonly string[]) {
  return sql.join(key.map((k) => sql.ref(k)));
}
