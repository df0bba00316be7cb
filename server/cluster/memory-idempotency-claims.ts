import {
  keyInFlight,
  type ClaimedKey,
  type IdempotencyClaims,
  type ReleaseClaim,
} from './idempotency-claims.ts';

/** Claims held in this process: enough where one process serves the store (SQLite). */
export class MemoryIdempotencyClaims implements IdempotencyClaims {
  readonly #inFlight = new Set<string>();

  claim(claimed: ClaimedKey): Promise<ReleaseClaim> {
    const id = `${claimed.companyId}\u0000${claimed.principalId}\u0000${claimed.key}`;
    if (this.#inFlight.has(id)) return Promise.reject(keyInFlight());
    this.#inFlight.add(id);
    return Promise.resolve(() => {
      this.#inFlight.delete(id);
      return Promise.resolve();
    });
  }
}
