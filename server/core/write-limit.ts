import { rateLimited } from './domain-error.ts';
import type { RateLimit } from './rate-limit.ts';
import { RateLimiter } from './rate-limiter.ts';
import type { WriteBudget } from './write-budget.ts';

/**
 * The one budget of writes per principal (member or API client), whichever face they come
 * through: tRPC and REST mutations (one procedure call each), and deal-room edits. Spread over
 * faces or sockets, a principal still gets `perMinute` in all; spread over instances too when
 * `counter` is shared (PgRateLimit on PostgreSQL). Off when `perMinute` is 0 or less.
 */
export class WriteLimit implements WriteBudget {
  readonly #counter: RateLimit | null;

  constructor(perMinute: number, counter: RateLimit = new RateLimiter(perMinute, 60_000)) {
    this.#counter = perMinute > 0 ? counter : null;
  }

  /** Counts one write; raises RateLimited (with `retryAfterSeconds`) when over the budget. */
  async charge(principal: { companyId: string; id: string }): Promise<void> {
    const wait = (await this.#counter?.hit(`${principal.companyId}:${principal.id}`)) ?? 0;
    if (wait > 0) throw rateLimited('too many writes', wait);
  }
}
