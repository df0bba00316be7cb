import type { RateLimit } from './rate-limit.ts';

/**
 * A fixed-window counter per key, in memory: enough to slow credential guessing on one server.
 * Old windows are dropped as keys are touched, so memory stays bounded by active keys.
 */
export class RateLimiter implements RateLimit {
  readonly #hits = new Map<string, { windowStart: number; count: number }>();

  constructor(
    private readonly limit: number,
    private readonly windowMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** Counts a hit; returns the seconds to wait when over the limit (this one's, or `limit`), else 0. */
  hit(key: string, limit = this.limit): Promise<number> {
    return Promise.resolve(this.#count(key, limit));
  }

  #count(key: string, limit: number): number {
    const now = this.now();
    const entry = this.#hits.get(key);
    if (!entry || now - entry.windowStart >= this.windowMs) {
      if (this.#hits.size > 10_000) this.#sweep(now);
      this.#hits.set(key, { windowStart: now, count: 1 });
      return 0;
    }
    entry.count += 1;
    return entry.count > limit ? Math.ceil((entry.windowStart + this.windowMs - now) / 1000) : 0;
  }

  #sweep(now: number): void {
    for (const [key, entry] of this.#hits)
      if (now - entry.windowStart >= this.windowMs) this.#hits.delete(key);
  }
}
