import fc from 'fast-check';
import { Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshPostgres } from '../../../test/kit/stores.ts';
import { DeferringPostgresDialect } from './deferred-inserts.ts';

// Any database: the tables are the test's own.
type Loose = Kysely<any>; // eslint-disable-line @typescript-eslint/no-explicit-any

let store: Awaited<ReturnType<typeof freshPostgres>>;
let pool: pg.Pool;
let plain: Loose;
let deferring: Loose;
const statements: string[] = [];

beforeAll(async () => {
  store = await freshPostgres();
  pool = new pg.Pool({ connectionString: store.env.TANDEM_DATABASE_URL, max: 2 });
  // What reaches the server, statement by statement.
  pool.on('connect', (client) => {
    const query = client.query.bind(client) as (...args: unknown[]) => unknown;
    (client as { query: unknown }).query = (...args: unknown[]) => {
      if (typeof args[0] === 'string') statements.push(args[0]);
      return query(...args);
    };
  });
  plain = new Kysely({ dialect: new PostgresDialect({ pool }) });
  deferring = new Kysely({
    dialect: new DeferringPostgresDialect({ pool }, new Set(['parent', 'child', 'kv'])),
  });
  await sql`create table parent (id int primary key, v text not null)`.execute(plain);
  await sql`create table child (id int primary key, parent_id int not null references parent (id), v text)`.execute(
    plain,
  );
  await sql`create table kv (a int, b int, v text not null, primary key (a, b))`.execute(plain);
  await sql`create table other (id int primary key)`.execute(plain);
});
afterAll(async () => {
  await plain.destroy();
  await store.drop();
});

const reset = () => sql`truncate child, parent, kv, other`.execute(plain);
const state = async (db: Loose) => ({
  parent: (await db.selectFrom('parent').selectAll().orderBy('id').execute()) as unknown[],
  child: (await db.selectFrom('child').selectAll().orderBy('id').execute()) as unknown[],
  kv: (await db.selectFrom('kv').selectAll().orderBy('a').orderBy('b').execute()) as unknown[],
});

type Op =
  | { kind: 'parent'; v: string }
  | { kind: 'child'; parent: number; v: string | null }
  | { kind: 'upsert'; a: number; b: number; v: string }
  | { kind: 'keep'; a: number; b: number; v: string }
  | { kind: 'set'; a: number; b: number; v: string; onConflict: string }
  | { kind: 'read' };

const op: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ kind: fc.constant('parent' as const), v: fc.string({ maxLength: 5 }) }),
  fc.record({
    kind: fc.constant('child' as const),
    parent: fc.nat(),
    v: fc.option(fc.string({ maxLength: 5 })),
  }),
  fc.record({ kind: fc.constant('upsert' as const), a: fc.nat(2), b: fc.nat(2), v: fc.string() }),
  fc.record({ kind: fc.constant('keep' as const), a: fc.nat(2), b: fc.nat(2), v: fc.string() }),
  fc.record({
    kind: fc.constant('set' as const),
    a: fc.nat(2),
    b: fc.nat(2),
    v: fc.string(),
    onConflict: fc.string(),
  }),
  fc.constant({ kind: 'read' as const }),
);

/** Runs `ops` in one transaction of `db`; returns what each read saw. */
async function run(db: Loose, ops: Op[]): Promise<unknown[]> {
  const seen: unknown[] = [];
  await db.transaction().execute(async (trx) => {
    let parents = 0;
    let children = 0;
    for (const o of ops) {
      if (o.kind === 'parent')
        await trx.insertInto('parent').values({ id: ++parents, v: o.v }).execute();
      else if (o.kind === 'child' && parents > 0)
        await trx
          .insertInto('child')
          .values({ id: ++children, parent_id: 1 + (o.parent % parents), v: o.v })
          .execute();
      else if (o.kind === 'upsert')
        await trx
          .insertInto('kv')
          .values({ a: o.a, b: o.b, v: o.v })
          .onConflict((oc) =>
            oc.columns(['a', 'b']).doUpdateSet((eb) => ({ v: eb.ref('excluded.v') })),
          )
          .execute();
      else if (o.kind === 'keep')
        await trx
          .insertInto('kv')
          .values({ a: o.a, b: o.b, v: o.v })
          .onConflict((oc) => oc.columns(['a', 'b']).doNothing())
          .execute();
      else if (o.kind === 'set')
        // A parameter after the values row too.
        await trx
          .insertInto('kv')
          .values({ a: o.a, b: o.b, v: o.v })
          .onConflict((oc) => oc.columns(['a', 'b']).doUpdateSet({ v: o.onConflict }))
          .execute();
      else if (o.kind === 'read') seen.push(await state(trx));
    }
  });
  return seen;
}

describe('DeferringPostgresDialect', () => {
  it('leaves every read and the committed tables as one-by-one inserts would', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(op, { maxLength: 40 }), async (ops) => {
        await reset();
        const seenPlain = await run(plain, ops);
        const afterPlain = await state(plain);
        await reset();
        const seenDeferred = await run(deferring, ops);
        expect(seenDeferred).toEqual(seenPlain);
        expect(await state(plain)).toEqual(afterPlain);
      }),
      { numRuns: 60 },
    );
  });

  it('sends a run of inserts as one statement, rows of one shape as one multi-row insert', async () => {
    await reset();
    statements.length = 0;
    await deferring.transaction().execute(async (trx) => {
      for (let id = 1; id <= 50; id++) {
        await trx.insertInto('child').values({ id, parent_id: id, v: null }).execute();
        await trx
          .insertInto('parent')
          .values({ id, v: `p${id}` })
          .execute();
        await trx
          .insertInto('kv')
          .values({ a: id, b: 0, v: 'x' })
          .onConflict((oc) =>
            oc.columns(['a', 'b']).doUpdateSet((eb) => ({ v: eb.ref('excluded.v') })),
          )
          .execute();
      }
    });
    const writes = statements.filter((s) => !['begin', 'commit'].includes(s));
    expect(writes).toHaveLength(1);
    expect(writes[0]).toMatch(/^with w0 as \(insert into "child"/);
    expect(writes[0]!.match(/insert into/g)).toHaveLength(3);
    expect((await state(plain)).parent).toHaveLength(50);
  });

  it('fails the whole write when a held-back insert fails, and leaves nothing of it', async () => {
    await reset();
    const outcome = deferring.transaction().execute(async (trx) => {
      await trx.insertInto('other').values({ id: 1 }).execute(); // not held back
      await trx.insertInto('parent').values({ id: 1, v: 'a' }).execute();
      await trx.insertInto('parent').values({ id: 1, v: 'b' }).execute();
    });
    await expect(outcome).rejects.toMatchObject({ code: '23505' });
    expect(await state(plain)).toEqual({ parent: [], child: [], kv: [] });
    expect(await plain.selectFrom('other').selectAll().execute()).toEqual([]);
  });

  it('drops what it holds when the write rolls back, and the connection serves the next write clean', async () => {
    await reset();
    const failed = deferring.transaction().execute(async (trx) => {
      await trx.insertInto('parent').values({ id: 7, v: 'a' }).execute();
      throw new Error('changed my mind');
    });
    await expect(failed).rejects.toThrow('changed my mind');
    await deferring.transaction().execute(async (trx) => {
      await trx.insertInto('parent').values({ id: 8, v: 'b' }).execute();
    });
    expect((await state(plain)).parent).toEqual([{ id: 8, v: 'b' }]);
  });
});
