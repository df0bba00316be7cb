import type {
  Compilable,
  CompiledQuery,
  InsertQueryBuilder,
  InsertResult,
  Insertable,
  Kysely,
} from 'kysely';
import type { Database } from '../../../schema/database.ts';
import { directRunnerOf } from './direct-runner.ts';
import { assertNotFenced } from './write-fence.ts';

/** Stands where a value goes while the query is compiled; filled by name on every run. */
class Param {
  constructor(readonly name: string) {}
}

/**
 * A Kysely query built and compiled once, then only run with new values: building and compiling
 * costs several times what SQLite takes to run a point lookup or an insert, and every deal write
 * makes a handful. The SQL still comes from Kysely's compiler, so it stays portable; inside
 * `withDirect` it runs on the connection directly, else through Kysely. It is compiled once per
 * dialect (SQLite and PostgreSQL place parameters differently; tests run both in one process).
 * (kysely-params does the same, but pins a Kysely three minor versions old.)
 */
export class PreparedQuery<P extends Record<string, unknown>, O> {
  readonly #compiled = new Map<unknown, CompiledQuery<O>>();

  constructor(
    private readonly build: (
      db: Kysely<Database>,
      param: <K extends keyof P & string>(name: K) => P[K],
    ) => Compilable<O>,
  ) {}

  async execute(db: Kysely<Database>, params: P): Promise<O[]> {
    const dialect = db.getExecutor().adapter.constructor;
    let compiled = this.#compiled.get(dialect);
    if (!compiled) {
      compiled = this.build(db, (name) => new Param(name) as never).compile();
      this.#compiled.set(dialect, compiled);
    }
    // A parameter the caller left out is NULL (SQLite cannot bind undefined).
    const parameters = compiled.parameters.map((p) =>
      p instanceof Param ? (params[p.name] ?? null) : p,
    );
    assertNotFenced(db);
    const direct = directRunnerOf(db);
    if (direct) return direct(compiled.sql, parameters) as O[];
    const { rows } = await db.executeQuery<O>({ ...compiled, parameters });
    return rows;
  }

  async executeTakeFirst(db: Kysely<Database>, params: P): Promise<O | undefined> {
    return (await this.execute(db, params))[0];
  }
}

type Table = keyof Database & string;
type Conflict<T extends Table> = (
  qb: InsertQueryBuilder<Database, T, InsertResult>,
) => Compilable<unknown>;
/** The table's columns a list leaves out: a type error names them (see preparedInsert). */
type Missing<T extends Table, C extends readonly string[]> = Exclude<
  keyof Database[T] & string,
  C[number]
>;

/**
 * A prepared insert of whole rows: every column is a parameter and a value the row lacks is NULL.
 * `columns` must list every column of the table (the compiler names any left out), and is only for
 * tables whose columns have no defaults, where leaving a column out means NULL too.
 */
export function preparedInsert<
  T extends Table,
  const C extends readonly (keyof Database[T] & string)[],
>(
  table: T,
  columns: C,
  ...onConflict: [Missing<T, C>] extends [never]
    ? [onConflict?: Conflict<T>]
    : [columnsLeftOut: Missing<T, C>]
): PreparedQuery<Insertable<Database[T]>, unknown> {
  const [conflict] = onConflict as [Conflict<T>?];
  return new PreparedQuery((db, param) => {
    const qb = db
      .insertInto(table)
      .values(Object.fromEntries(columns.map((c) => [c, param(c as never)])) as never);
    return conflict ? conflict(qb) : qb;
  });
}
