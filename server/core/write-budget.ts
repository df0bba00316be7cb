/**
 * The writes a principal may make per minute, across every face. Kept apart from its
 * implementation (WriteLimit) so several instances can charge one shared budget.
 */
export interface WriteBudget {
  /**
   * Counts one write; raises RateLimited (with `retryAfterSeconds`) when over the budget, and
   * rejects with the store's error when the count cannot be kept.
   */
  charge(principal: { companyId: string; id: string }): Promise<void>;
}
