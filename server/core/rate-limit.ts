/**
 * Counts hits per key over a window. Kept apart from its in-memory implementation (RateLimiter)
 * so several instances can share one count instead of each granting the full limit.
 */
export interface RateLimit {
  /** Counts a hit; the seconds to wait when over `limit` (else the default limit), or 0. */
  hit(key: string, limit?: number): number;
}
