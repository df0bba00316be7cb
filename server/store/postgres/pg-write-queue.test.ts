import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { freshPostgres } from '../../../test/kit/stores.ts';
import { DomainError } from '../../core/domain-error.ts';
import type { Db } from '../db.ts';
import type { WriteQueue } from '../write-queue.ts';
import { openPostgres } from './open.ts';
import { PgWriteQueue } from './pg-write-queue.ts';

// The WriteQueue contract on PostgreSQL, through `run`, `current` and `afterEachCommit` only: the
// queue's insides may change (batching, say) and these must still hold.
let store: Awaited<ReturnType<typeof freshPostgres>>;
let db: Db;
let timeouts: number[];
let writes: WriteQueue;

beforeEach(async () => {
  store = await freshPostgres();
  db = openPostgres(store.env.TANDEM_DATABASE_URL!, 4);
  await sql`create table notes (id serial primary key, text text not null)`.execute(db);
  timeouts = [];
  writes = new PgWriteQueue(db, { timeoutMs: 300, onTimeout: (ms) => timeouts.push(ms) });
});
afterEach(async () => {
  await db.destroy();
  await store.drop();
});

const note = (text: string) => sql`insert into notes (text) values (${text})`;
const notes = async () =>
  (await sql<{ text: string }>`select text from notes order by id`.execute(db)).rows.map(
    (r) => r.text,
  );
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const failure = (p: Promise<unknown>) =>
  p.then(
    () => null,
    (e: unknown) => e,
  );

describe('PgWriteQueue', () => {
  it('runs a write’s success then commit hooks, before it resolves, and no failure hook', async () => {
    const fired: string[] = [];
    await writes.run(async (trx) => {
      const hooks = writes.current()!;
      hooks.onSuccess(() => fired.push('success'));
      hooks.onCommit(() => fired.push('commit'));
      hooks.onFailure(() => fired.push('failure'));
      await note('a').execute(trx);
    });
    expect(fired).toEqual(['success', 'commit']);
    expect(writes.current()).toBeUndefined();
  });

  it('gives each of concurrent writes its own hooks', async () => {
    const seen = await Promise.all(
      ['a', 'b', 'c'].map((text) =>
        writes.run(async (trx) => {
          const hooks = writes.current();
          await note(text).execute(trx);
          await sleep(5);
          return hooks === writes.current() ? hooks : undefined;
        }),
      ),
    );
    expect(new Set(seen).size).toBe(3);
    expect(seen).not.toContain(undefined);
  });

  it('rolls back a failing write alone and runs only its failure hooks', async () => {
    const fired: string[] = [];
    const write = (text: string, fail: boolean) =>
      writes.run(async (trx) => {
        const hooks = writes.current()!;
        hooks.onCommit(() => fired.push(`commit ${text}`));
        hooks.onFailure(() => fired.push(`failure ${text}`));
        await note(text).execute(trx);
        if (fail) throw new Error(`refused ${text}`);
        return text;
      });
    const results = await Promise.allSettled([
      write('a', false),
      write('b', true),
      write('c', false),
    ]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect((results[1] as PromiseRejectedResult).reason).toMatchObject({ message: 'refused b' });
    expect((await notes()).sort()).toEqual(['a', 'c']);
    expect(fired.sort()).toEqual(['commit a', 'commit c', 'failure b']);
  });

  it('answers 503 to a write past its time, rolls it back and refuses its late queries', async () => {
    const fired: string[] = [];
    let late: unknown;
    const slow = writes.run(async (trx) => {
      writes.current()!.onFailure(() => fired.push('failure'));
      writes.current()!.onCommit(() => fired.push('commit'));
      await note('slow, before').execute(trx);
      await sleep(600);
      late = await failure(note('slow, after').execute(trx));
    });
    const error = await failure(slow);
    expect(error).toBeInstanceOf(DomainError);
    expect((error as DomainError).code).toBe('Unavailable');
    expect(timeouts).toHaveLength(1);
    expect(timeouts[0]).toBeGreaterThanOrEqual(300);
    expect(fired).toEqual(['failure']);
    // The queue goes on while the timed-out write still sleeps.
    await writes.run((trx) => note('next').execute(trx));
    await sleep(500);
    expect(late).toBeInstanceOf(Error);
    expect((late as Error).name).toBe('WriteFenced');
    expect(await notes()).toEqual(['next']);
  });

  it('calls afterEachCommit listeners after each commit, not after a rollback, until unsubscribed', async () => {
    let calls = 0;
    const unsubscribe = writes.afterEachCommit(() => calls++);
    await writes.run((trx) => note('a').execute(trx));
    expect(calls).toBe(1);
    await failure(
      writes.run(async (trx) => {
        await note('b').execute(trx);
        throw new Error('no');
      }),
    );
    expect(calls).toBe(1);
    // Writes queued together share one commit, and so one call.
    await Promise.all(['c', 'd'].map((t) => writes.run((trx) => note(t).execute(trx))));
    expect(calls).toBe(2);
    unsubscribe();
    await writes.run((trx) => note('e').execute(trx));
    expect(calls).toBe(2);
  });
  it('shares one transaction among writes queued together, and a failing one is rolled back alone', async () => {
    const transactions = await Promise.all(
      ['a', 'b', 'c'].map((text) =>
        writes
          .run(async (trx) => {
            await note(text).execute(trx);
            if (text === 'b') throw new Error('refused b');
            const { rows } = await sql<{ id: string }>`select txid_current()::text as id`.execute(
              trx,
            );
            return rows[0]!.id;
          })
          .catch(() => 'refused'),
      ),
    );
    expect(transactions[1]).toBe('refused');
    expect(transactions[0]).toBe(transactions[2]);
    expect(await notes()).toEqual(['a', 'c']);
  });

  it('runs a deadlock victim again from the start, and it commits once', async () => {
    await note('one').execute(db);
    await note('two').execute(db);
    // Another process, on a connection of its own, takes the two rows in the other order.
    const other = openPostgres(store.env.TANDEM_DATABASE_URL!, 1);
    let ourRowHeld!: () => void;
    const held = new Promise<void>((resolve) => (ourRowHeld = resolve));
    const failures: number[] = [];
    let attempts = 0;
    try {
      const theirs = other.transaction().execute(async (t) => {
        await sql`set local deadlock_timeout = '10s'`.execute(t);
        await sql`update notes set text = 'theirs' where id = 2`.execute(t);
        await held;
        await sql`update notes set text = 'theirs' where id = 1`.execute(t);
      });
      await sleep(100);
      const ours = writes.run(async (trx) => {
        const attempt = ++attempts;
        writes.current()!.onFailure(() => failures.push(attempt));
        // Checked sooner than theirs: ours is the victim PostgreSQL picks.
        await sql`set local deadlock_timeout = '50ms'`.execute(trx);
        await sql`update notes set text = 'ours' where id = 1`.execute(trx);
        if (attempt === 1) ourRowHeld();
        await sql`update notes set text = 'ours' where id = 2`.execute(trx);
        return attempt;
      });
      expect(await ours).toBe(2);
      await theirs;
      expect(failures).toEqual([1]);
      expect(await notes()).toEqual(['ours', 'ours']);
    } finally {
      await other.destroy();
    }
  });
});
