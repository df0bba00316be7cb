/**
 * The writes a principal may make per minute, across every face. Kept apart from its in-memory
 * implementation (WriteLimit) so several instances can charge one shared budget.
 */
export interface WriteBudget {
  /** Counts one write; raises RateLimited (with `retryAfterSeconds`) when over the budget. */
  charge(principal: { companyId: string; id: string }): void;
}
