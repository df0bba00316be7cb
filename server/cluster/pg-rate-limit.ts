import { sql } from 'kysely';
import type { RateLimit } from '../core/rate-limit.ts';
import type { Db } from '../store/db.ts';
import { clusterDb, databaseNowMs as now, sweepEveryMs } from './cluster-tables.ts';

/**
 * A fixed-window counter per key shared by every instance on one PostgreSQL database, so a client
 * cannot multiply its limit by the number of instances. A window opens at a key's first hit and
 * lasts `windowMs`, as RateLimiter's do; one row per key holds it, counted by a single atomic
 * upsert through the pool (autocommit: never inside a write, whose transaction holds the global
 * write lock). A database error fails the request: a limit that cannot be counted is not granted.
 */
export class PgRateLimit implements RateLimit {
  #lastSweep = 0;

  constructor(
    private readonly db: Db,
    private readonly options: { name: string; limit: number; windowMs: number },
  ) {}

  async hit(key: string, limit = this.options.limit): Promise<number> {
    const { name, windowMs } = this.options;
    const db = clusterDb(this.db);
    await this.#sweepNowAndThen();
    const lapsed = sql<boolean>`rate_hits.window_start <= ${now} - ${windowMs}`;
    const row = await db
      .insertInto('rate_hits')
      .values({ limiter: name, key, window_start: now, count: 1 })
      .onConflict((oc) =>
        oc.columns(['limiter', 'key']).doUpdateSet({
          count: sql<number>`case when ${lapsed} then 1 else rate_hits.count + 1 end`,
          window_start: sql<number>`case when ${lapsed} then ${now} else rate_hits.window_start end`,
        }),
      )
      .returning(['count', sql<number>`window_start + ${windowMs} - ${now}`.as('left_ms')])
      .executeTakeFirstOrThrow();
    return row.count > limit ? Math.max(1, Math.ceil(Number(row.left_ms) / 1000)) : 0;
  }

  /** Drops this limiter's lapsed windows now and then: a key not hit again would stay forever. */
  async #sweepNowAndThen(): Promise<void> {
    if (Date.now() - this.#lastSweep < sweepEveryMs) return;
    this.#lastSweep = Date.now();
    await clusterDb(this.db)
      .deleteFrom('rate_hits')
      .where('limiter', '=', this.options.name)
      .where(sql<boolean>`window_start <= ${now} - ${this.options.windowMs}`)
      .execute();
  }
}
