/**
 * Counts hits per key over a window. Kept apart from its implementations so several instances can
 * share one count instead of each granting the full limit: RateLimiter counts in memory (SQLite,
 * one process), PgRateLimit (server/cluster) in the database every instance shares.
 */
export interface RateLimit {
  /**
   * Counts a hit; the seconds to wait when over `limit` (else the default limit), or 0. Rejects
   * when the count cannot be kept (the database failed): the caller's request fails with it.
   */
  hit(key: string, limit?: number): Promise<number>;
}
