import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrateToLatest } from '../../../schema/migrator.ts';
import type { Db } from '../../store/db.ts';
import { openDatabase } from '../../store/sqlite/db.ts';
import { DomainError } from '../../core/domain-error.ts';
import { tempDataDir } from '../../../test/kit/harness.ts';
import { IdempotencyKeys, keyLifetimeMs, requestHash } from './idempotency.ts';

let dataDir: string;
let db: Db;
let now = new Date('2026-11-25T12:00:00.000Z');
const keys = new IdempotencyKeys(() => now);
const hours = (h: number) => h * 60 * 60 * 1000;
const request = (key: string, hash = 'h1', principalId = 'mem_1') => ({
  companyId: 'co_a',
  principalId,
  key,
  requestHash: hash,
});

async function codeOf(promise: Promise<unknown>): Promise<string | undefined> {
  return promise.then(
    () => undefined,
    (e: unknown) => (e instanceof DomainError ? e.code : String(e)),
  );
}

beforeAll(async () => {
  dataDir = tempDataDir();
  db = openDatabase(dataDir);
  await migrateToLatest(db);
});
afterAll(async () => {
  await db.destroy();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

describe('idempotency keys', () => {
  it('hash the same request alike whatever its key order or spacing, and others not', () => {
    const a = requestHash('POST', '/api/v1/opportunities', { b: 1, a: [1, { y: 2, x: 1 }] });
    const b = requestHash('POST', '/api/v1/opportunities', { a: [1, { x: 1, y: 2 }], b: 1 });
    expect(a).toBe(b);
    expect(requestHash('PUT', '/api/v1/opportunities', { a: [1, { x: 1, y: 2 }], b: 1 })).not.toBe(
      a,
    );
    expect(requestHash('POST', '/api/v1/opportunities', { b: 2 })).not.toBe(a);
  });

  it('are kept for at least 24 hours, then forgotten and free for a new request', async () => {
    await db
      .transaction()
      .execute((trx) => keys.store(trx, request('k-life'), { status: 201, text: '{"id":"x"}' }));
    now = new Date(now.getTime() + keyLifetimeMs - hours(1));
    expect(await keys.find(db, request('k-life'))).toEqual({ status: 201, text: '{"id":"x"}' });
    expect(await codeOf(keys.find(db, request('k-life', 'other')))).toBe('IdempotencyKeyReused');

    now = new Date(now.getTime() + hours(2));
    expect(await keys.find(db, request('k-life', 'other'))).toBeUndefined();
    await db
      .transaction()
      .execute((trx) => keys.store(trx, request('k-life', 'other'), { status: 200, text: '{}' }));
    expect(await keys.find(db, request('k-life', 'other'))).toEqual({ status: 200, text: '{}' });
  });

  it('sweep rows older than their lifetime', async () => {
    await db
      .transaction()
      .execute((trx) => keys.store(trx, request('k-old'), { status: 200, text: '1' }));
    now = new Date(now.getTime() + keyLifetimeMs + hours(1));
    await db
      .transaction()
      .execute((trx) => keys.store(trx, request('k-new'), { status: 200, text: '2' }));
    const left = await db.selectFrom('idempotency_keys').select('key').execute();
    expect(left.map((r) => r.key)).toEqual(['k-new']);
  });

  it('belong to the principal that sent them: another member of the company finds nothing', async () => {
    await db
      .transaction()
      .execute((trx) => keys.store(trx, request('k-mine'), { status: 201, text: '{"id":"y"}' }));
    expect(await keys.find(db, request('k-mine', 'h1', 'mem_2'))).toBeUndefined();
    expect(await keys.find(db, request('k-mine', 'h1', 'cli_1'))).toBeUndefined();
    expect(await keys.find(db, request('k-mine'))).toEqual({ status: 201, text: '{"id":"y"}' });
  });
});
