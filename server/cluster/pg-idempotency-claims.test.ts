import { describe, expect, it } from 'vitest';
import { migratedPostgres } from '../../test/kit/migrated-postgres.ts';
import { sql } from 'kysely';
import { clusterDb, databaseNowMs as now } from './cluster-tables.ts';
import { PgIdempotencyClaims } from './pg-idempotency-claims.ts';

const store = migratedPostgres();

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const key = (k: string, principalId = 'mem_1') => ({ companyId: 'co_a', principalId, key: k });

describe('PgIdempotencyClaims', () => {
  it('lets one of many concurrent claims hold a principal’s key until released', async () => {
    // Two instances: two objects on one database.
    const [one, two] = [
      new PgIdempotencyClaims(store.db, 60_000),
      new PgIdempotencyClaims(store.db, 60_000),
    ];
    const claims = await Promise.allSettled(
      Array.from({ length: 20 }, (_, n) => (n % 2 ? one : two).claim(key('k-race'))),
    );
    const won = claims.filter((c) => c.status === 'fulfilled');
    expect(won).toHaveLength(1);
    for (const c of claims)
      if (c.status === 'rejected')
        expect(c.reason).toMatchObject({ code: 'IdempotencyKeyInFlight' });
    await (
      await two.claim(key('k-race', 'mem_2'))
    )();
    await won[0]!.value();
    await (
      await one.claim(key('k-race'))
    )();
  });

  it('keeps a running request’s claim past its life by renewing it', async () => {
    const claims = new PgIdempotencyClaims(store.db, 300);
    const running = await claims.claim(key('k-renewed'));
    await sleep(800);
    await expect(claims.claim(key('k-renewed'))).rejects.toMatchObject({
      code: 'IdempotencyKeyInFlight',
    });
    await running();
    await (
      await claims.claim(key('k-renewed'))
    )();
  });

  it('lets a dead instance’s claim lapse and be taken over', async () => {
    const claims = new PgIdempotencyClaims(store.db, 300);
    // A dead instance's claim: a row that nobody renews any more.
    await clusterDb(store.db)
      .insertInto('idempotency_claims')
      .values({
        company_id: 'co_a',
        principal_id: 'mem_1',
        key: 'k-lapse',
        holder: 'dead',
        expires_at: sql<number>`${now} + 300`,
      })
      .execute();
    await expect(claims.claim(key('k-lapse'))).rejects.toMatchObject({
      code: 'IdempotencyKeyInFlight',
    });
    await sleep(400);
    const live = await claims.claim(key('k-lapse'));
    await expect(claims.claim(key('k-lapse'))).rejects.toMatchObject({
      code: 'IdempotencyKeyInFlight',
    });
    await live();
  });
});
