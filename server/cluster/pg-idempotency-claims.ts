import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import type { Db } from '../store/db.ts';
import { clusterDb, databaseNowMs as now, sweepEveryMs } from './cluster-tables.ts';
import {
  keyInFlight,
  type ClaimedKey,
  type IdempotencyClaims,
  type ReleaseClaim,
} from './idempotency-claims.ts';

/**
 * Claims in the database every instance shares: one row per key, taken by a single atomic upsert
 * through the pool (autocommit, never inside a write) that inserts, or takes over a claim past
 * its `lifetimeMs` (its instance died mid-request), and otherwise finds the key held: 409. A
 * database error fails the request, as the write itself would have. The holder renews its claim
 * every third of its life while the request runs, so the life can be short: a dead instance's
 * keys are free again within seconds, and a client retrying after a failover is not told 409 for
 * long (a request that outlives a missed renewal is still one effect: see KeyTakenMeanwhile).
 */
export class PgIdempotencyClaims implements IdempotencyClaims {
  #lastSweep = 0;

  constructor(
    private readonly db: Db,
    private readonly lifetimeMs: number,
  ) {}

  async claim(claimed: ClaimedKey): Promise<ReleaseClaim> {
    const db = clusterDb(this.db);
    await this.#sweepNowAndThen();
    const holder = randomUUID();
    const owner = {
      company_id: claimed.companyId,
      principal_id: claimed.principalId,
      key: claimed.key,
    };
    const won = await db
      .insertInto('idempotency_claims')
      .values({ ...owner, holder, expires_at: sql<number>`${now} + ${this.lifetimeMs}` })
      .onConflict((oc) =>
        oc
          .columns(['company_id', 'principal_id', 'key'])
          .doUpdateSet((eb) => ({
            holder: eb.ref('excluded.holder'),
            expires_at: eb.ref('excluded.expires_at'),
          }))
          .where('idempotency_claims.expires_at', '<=', now),
      )
      .returning('holder')
      .executeTakeFirst();
    if (!won) throw keyInFlight();
    const renew = setInterval(
      () =>
        void db
          .updateTable('idempotency_claims')
          .set({ expires_at: sql<number>`${now} + ${this.lifetimeMs}` })
          .where('company_id', '=', owner.company_id)
          .where('principal_id', '=', owner.principal_id)
          .where('key', '=', owner.key)
          .where('holder', '=', holder)
          .execute()
          .catch(() => {}),
      Math.max(100, Math.floor(this.lifetimeMs / 3)),
    );
    renew.unref();
    return async () => {
      clearInterval(renew);
      await db
        .deleteFrom('idempotency_claims')
        .where('company_id', '=', owner.company_id)
        .where('principal_id', '=', owner.principal_id)
        .where('key', '=', owner.key)
        .where('holder', '=', holder)
        .execute();
    };
  }

  /** Drops claims that lapsed and were never taken again (their instances died). */
  async #sweepNowAndThen(): Promise<void> {
    if (Date.now() - this.#lastSweep < sweepEveryMs) return;
    this.#lastSweep = Date.now();
    await clusterDb(this.db)
      .deleteFrom('idempotency_claims')
      .where('expires_at', '<=', now)
      .execute();
  }
}
