import { rateLimited } from './domain-error.ts';
import { RateLimiter } from './rate-limiter.ts';
import type { WriteBudget } from './write-budget.ts';

/**
 * The one budget of writes per principal (member or API client), whichever face they come
 * through: tRPC and REST mutations (one procedure call each), and deal-room edits. Spread over
 * faces or sockets, a principal still gets `perMinute` in all.
 */
export class WriteLimit implements WriteBudget {
  readonly #limiter: RateLimiter | null;

  constructor(perMinute: number, now: () => number = Date.now) {
    this.#limiter = perMinute > 0 ? new RateLimiter(perMinute, 60_000, now) : null;
  }

  /** Counts one write; raises RateLimited (with `retryAfterSeconds`) when over the budget. */
  charge(principal: { companyId: string; id: string }): void {
    const wait = this.#limiter?.hit(`${principal.companyId}:${principal.id}`) ?? 0;
    if (wait > 0) throw rateLimited('too many writes', wait);
  }
}
