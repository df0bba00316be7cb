import fs from 'node:fs';
import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { tempDataDir } from '../../../test/kit/harness.ts';
import type { Db } from '../db.ts';
import { openDatabase } from './db.ts';
import { DomainError } from '../../core/domain-error.ts';
import { GroupCommit } from './group-commit.ts';
import { WriteFenced } from './write-fence.ts';
import { inWrite } from '../write-queue.ts';

let dir: string;
let db: Db;
let timeouts: number[];
let writes: GroupCommit;

beforeEach(async () => {
  dir = tempDataDir();
  db = openDatabase(dir);
  await sql`create table notes (text text not null)`.execute(db);
  timeouts = [];
  writes = new GroupCommit(db, { timeoutMs: 200, onTimeout: (ms) => timeouts.push(ms) });
});
afterEach(async () => {
  await db.destroy();
  fs.rmSync(dir, { recursive: true, force: true });
});

const note = (text: string) => sql`insert into notes (text) values (${text})`;
const notes = async () =>
  (await sql<{ text: string }>`select text from notes order by rowid`.execute(db)).rows.map(
    (r) => r.text,
  );

describe('GroupCommit', () => {
  it('answers 503 to a write that waits on itself, and the server goes on', async () => {
    const nested = writes.run(async (trx) => {
      await note('outer').execute(trx);
      // Queued behind the write that is running it: the shape that froze every tenant.
      await writes.run((inner) => note('inner').execute(inner));
    });
    const error = await nested.then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(DomainError);
    expect((error as DomainError).code).toBe('Unavailable');
    expect(timeouts).toHaveLength(1);
    await writes.run((trx) => note('after').execute(trx));
    // The inner write ran on its own once the outer one was gone; the outer was rolled back.
    expect(await notes()).toEqual(['inner', 'after']);
  });

  it('completes a nested write that joins through inWrite', async () => {
    const deps = { db, writes };
    await writes.run(async (trx) => {
      await note('outer').execute(trx);
      const joined = inWrite(deps, trx);
      await joined.writes.run((inner) => note('inner').execute(inner));
    });
    expect(await notes()).toEqual(['outer', 'inner']);
    expect(timeouts).toEqual([]);
  });

  it('refuses the queries of a timed-out write when it wakes, so nothing of it is written', async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let late: unknown;
    const stuck = writes.run(async (trx) => {
      await gate;
      try {
        await note('late').execute(trx);
      } catch (error) {
        late = error;
      }
    });
    await expect(stuck).rejects.toMatchObject({ code: 'Unavailable' });
    release();
    await writes.run((trx) => note('next').execute(trx));
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(late).toBeInstanceOf(WriteFenced);
    expect(await notes()).toEqual(['next']);
  });

  it('commits the writes queued behind a timed-out one', async () => {
    const stuck = writes.run(() => new Promise(() => {}));
    const behind = [1, 2, 3].map((n) => writes.run((trx) => note(`w${n}`).execute(trx)));
    await expect(stuck).rejects.toMatchObject({ code: 'Unavailable' });
    await Promise.all(behind);
    expect(await notes()).toEqual(['w1', 'w2', 'w3']);
  });
});
