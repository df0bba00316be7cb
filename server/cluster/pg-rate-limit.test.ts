import { describe, expect, it } from 'vitest';
import { migratedPostgres } from '../../test/kit/migrated-postgres.ts';
import { PgRateLimit } from './pg-rate-limit.ts';

const store = migratedPostgres();

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('PgRateLimit', () => {
  it('counts concurrent hits exactly, and opens a new window once the old one is over', async () => {
    const limiter = new PgRateLimit(store.db, { name: 'test', limit: 5, windowMs: 1500 });
    const waits = await Promise.all(Array.from({ length: 12 }, () => limiter.hit('k')));
    expect(waits.filter((w) => w === 0)).toHaveLength(5);
    for (const wait of waits.filter((w) => w > 0)) expect(wait).toBeLessThanOrEqual(2);
    await sleep(1600);
    expect(await limiter.hit('k')).toBe(0);
  });

  it('keeps limiters and keys apart, and takes a limit per call', async () => {
    const a = new PgRateLimit(store.db, { name: 'a', limit: 1, windowMs: 60_000 });
    const b = new PgRateLimit(store.db, { name: 'b', limit: 1, windowMs: 60_000 });
    expect(await a.hit('same')).toBe(0);
    expect(await b.hit('same')).toBe(0);
    expect(await a.hit('other')).toBe(0);
    expect(await a.hit('same')).toBeGreaterThan(55);
    expect(await b.hit('same', 3)).toBe(0);
  });
});
