import {
  CompiledQuery,
  PostgresDialect,
  type DatabaseConnection,
  type Driver,
  type InsertQueryNode,
  type QueryCompiler,
  type QueryResult,
  type TransactionSettings,
  type ValuesNode,
} from 'kysely';

/** PostgreSQL refuses a statement with more than 65,535 parameters; flush well before. */
const maxParameters = 30_000;

interface Pending {
  table: string;
  sql: string;
  parameters: readonly unknown[];
  /** One row whose every value is a parameter, in column order: its values can be read by name. */
  row?: ReadonlyMap<string, unknown>;
  /** The ON CONFLICT columns, when the insert has a conflict target of plain columns. */
  conflict?: readonly string[];
  /** An ON CONFLICT insert whose target is not plain columns. */
  opaqueConflict: boolean;
}

/** The insert `compiled` makes, when it may wait in the buffer: no RETURNING, no quoted literal. */
function deferrable(compiled: CompiledQuery, tables: ReadonlySet<string>): Pending | undefined {
  const node = compiled.query as InsertQueryNode | undefined;
  if (node?.kind !== 'InsertQueryNode' || node.returning || node.replace || node.ignore) return;
  if (node.with || node.orAction || node.defaultValues) return;
  const table = node.into?.table.identifier.name;
  if (!table || !tables.has(table)) return;
  // Parameters are renumbered textually: only SQL with no literal that could hold a `$n`.
  if (compiled.sql.includes("'")) return;
  const columns = node.columns?.map((c) => c.column.name) ?? [];
  const values = node.values as ValuesNode | undefined;
  const oneRow =
    values?.kind === 'ValuesNode' &&
    values.values.length === 1 &&
    compiled.parameters.length === columns.length;
  const onConflict = node.onConflict;
  const plainTarget = onConflict?.columns && !onConflict.indexExpression && !onConflict.indexWhere;
  return {
    table,
    sql: compiled.sql,
    parameters: compiled.parameters,
    row: oneRow ? new Map(columns.map((c, n) => [c, compiled.parameters[n]])) : undefined,
    conflict: plainTarget ? onConflict.columns!.map((c) => c.column.name) : undefined,
    opaqueConflict: onConflict !== undefined && !plainTarget,
  };
}

/** The values `p` gives the `columns`, as one comparable string; undefined when not known. */
function keyOf(p: Pending, columns: readonly string[]): string | undefined {
  if (!p.row || !columns.every((c) => p.row!.has(c))) return undefined;
  return JSON.stringify(columns.map((c) => p.row!.get(c)));
}

/**
 * Whether `next` must not share a statement with `held` (the parts of one statement share a
 * snapshot, so an ON CONFLICT insert cannot see a row inserted beside it): both go into one
 * table, one of them has a conflict target, and the row of the other may hit it.
 */
function clashes(held: Pending, next: Pending): boolean {
  if (held.table !== next.table) return false;
  if (held.opaqueConflict || next.opaqueConflict) return true;
  for (const [a, b] of [
    [held, next],
    [next, held],
  ] as const) {
    if (!a.conflict) continue;
    const mine = keyOf(a, a.conflict);
    const theirs = keyOf(b, a.conflict);
    if (mine === undefined || theirs === undefined || mine === theirs) return true;
  }
  return false;
}

/** `sql` with every `$n` moved up by `offset`. */
function shifted(sql: string, offset: number): string {
  return offset === 0 ? sql : sql.replace(/\$(\d+)/g, (_, n: string) => `$${Number(n) + offset}`);
}

/** Where the parenthesised row after ` values ` starts and ends in `sql` (no quotes in it). */
function rowSpan(sql: string): [number, number] {
  const start = sql.lastIndexOf(' values (') + ' values '.length;
  let depth = 0;
  for (let i = start; i < sql.length; i++) {
    if (sql[i] === '(') depth++;
    else if (sql[i] === ')' && --depth === 0) return [start, i + 1];
  }
  throw new Error(`no values row in ${sql.slice(0, 80)}`);
}

/**
 * One statement doing what `pending` did one by one. One-row inserts with the same SQL become one
 * multi-row insert (those with a conflict target hold distinct keys: see clashes); every insert
 * becomes a data-modifying CTE of one statement. The parts share a snapshot and foreign keys are
 * checked at the statement's end, so the order within it does not matter.
 */
function combined(pending: Pending[]): CompiledQuery {
  if (pending.length === 1) return CompiledQuery.raw(pending[0]!.sql, [...pending[0]!.parameters]);
  const groups = new Map<string, Pending[]>();
  pending.forEach((p, n) => {
    const key = p.row ? p.sql : `#${n}`;
    groups.set(key, [...(groups.get(key) ?? []), p]);
  });
  const parameters: unknown[] = [];
  const parts: string[] = [];
  for (const group of groups.values()) {
    const head = group[0]!;
    let statement: string;
    if (group.length === 1) {
      statement = shifted(head.sql, parameters.length);
      parameters.push(...head.parameters);
    } else {
      // Rows of one shape: every parameter is in the values row, none before or after it.
      const [start, end] = rowSpan(head.sql);
      const rows = group.map((p) => {
        const row = shifted(p.sql.slice(start, end), parameters.length);
        parameters.push(...p.parameters);
        return row;
      });
      statement = head.sql.slice(0, start) + rows.join(', ') + head.sql.slice(end);
    }
    parts.push(`w${parts.length} as (${statement})`);
  }
  return CompiledQuery.raw(`with ${parts.join(', ')} select 1`, parameters);
}

/**
 * A write transaction's connection that holds back inserts into `tables` and sends them all as
 * one statement just before the next statement of any other kind (a read sees every row written
 * before it) or the commit: a batch of deals costs a round trip per read, not one per row. Only
 * for tables whose inserts no caller catches an error from (a held-back insert fails later, at
 * that next statement or the commit, and fails the whole write).
 */
class DeferringConnection implements DatabaseConnection {
  #pending: Pending[] = [];
  #parameters = 0;

  constructor(
    readonly inner: DatabaseConnection,
    private readonly tables: ReadonlySet<string>,
  ) {}

  async executeQuery<R>(compiled: CompiledQuery): Promise<QueryResult<R>> {
    const insert = deferrable(compiled, this.tables);
    if (!insert) {
      await this.flush();
      return this.inner.executeQuery<R>(compiled);
    }
    const clash = this.#pending.some((held) => clashes(held, insert));
    if (clash || this.#parameters + insert.parameters.length > maxParameters) await this.flush();
    this.#pending.push(insert);
    this.#parameters += insert.parameters.length;
    return { rows: [], numAffectedRows: 1n };
  }

  async *streamQuery<R>(compiled: CompiledQuery, chunkSize?: number) {
    await this.flush();
    yield* this.inner.streamQuery<R>(compiled, chunkSize);
  }

  async flush(): Promise<void> {
    if (this.#pending.length === 0) return;
    const pending = this.#pending;
    this.discard();
    await this.inner.executeQuery(combined(pending));
  }

  discard(): void {
    this.#pending = [];
    this.#parameters = 0;
  }
}

class DeferringDriver implements Driver {
  constructor(
    private readonly inner: Driver,
    private readonly tables: ReadonlySet<string>,
  ) {}

  init() {
    return this.inner.init();
  }

  async acquireConnection(): Promise<DatabaseConnection> {
    return new DeferringConnection(await this.inner.acquireConnection(), this.tables);
  }

  beginTransaction(connection: DatabaseConnection, settings: TransactionSettings) {
    return this.inner.beginTransaction(connection, settings);
  }

  // The commit is a statement like any other: the connection sends what it holds first.
  commitTransaction(connection: DatabaseConnection) {
    return this.inner.commitTransaction(connection);
  }

  async rollbackTransaction(connection: DatabaseConnection) {
    (connection as DeferringConnection).discard();
    await this.inner.rollbackTransaction(connection);
  }

  async savepoint(
    connection: DatabaseConnection,
    name: string,
    compile: QueryCompiler['compileQuery'],
  ) {
    await this.inner.savepoint!(connection, name, compile);
  }

  // What the write being undone held back is dropped, not sent only to be rolled back.
  async rollbackToSavepoint(
    connection: DatabaseConnection,
    name: string,
    compile: QueryCompiler['compileQuery'],
  ) {
    (connection as DeferringConnection).discard();
    await this.inner.rollbackToSavepoint!(connection, name, compile);
  }

  async releaseSavepoint(
    connection: DatabaseConnection,
    name: string,
    compile: QueryCompiler['compileQuery'],
  ) {
    await this.inner.releaseSavepoint!(connection, name, compile);
  }

  releaseConnection(connection: DatabaseConnection) {
    (connection as DeferringConnection).discard();
    // The pg driver releases through a private method of its own connection object.
    return this.inner.releaseConnection((connection as DeferringConnection).inner);
  }

  destroy() {
    return this.inner.destroy();
  }
}

/** PostgreSQL whose connections hold back inserts into `tables` (see DeferringConnection). */
export class DeferringPostgresDialect extends PostgresDialect {
  constructor(
    config: ConstructorParameters<typeof PostgresDialect>[0],
    private readonly tables: ReadonlySet<string>,
  ) {
    super(config);
  }

  override createDriver(): Driver {
    return new DeferringDriver(super.createDriver(), this.tables);
  }
}
