import type { Principal } from '../principal.ts';
import type { TokenCache } from './token-cache.ts';

/**
 * Remembers tokens that passed full verification, so a busy integration does not pay an Ed25519
 * verify and four lookups on every request. An entry is trusted only while nothing that bears on
 * tokens has changed: this process calls `invalidate()` on every revocation, key retirement,
 * role change, member disable and client revoke, and a commit by any other process (SQLite's
 * `data_version`) empties the cache too. Expiry is still checked on every hit.
 */
export class VerifiedTokenCache implements TokenCache {
  readonly #entries = new Map<string, Principal>();
  #seenVersion: number;
  #generation = 0;
  readonly #listeners = new Set<() => void>();

  constructor(
    private readonly dataVersion: () => number,
    private readonly maxEntries = 10_000,
  ) {
    this.#seenVersion = dataVersion();
  }

  /** The cached principal, if still trusted; else undefined and a stamp to pass to `set`. */
  lookup(token: string): { principal: Principal | undefined; stamp: number } {
    const version = this.dataVersion();
    if (version !== this.#seenVersion) {
      this.#entries.clear();
      this.#seenVersion = version;
      this.#generation++;
    }
    return { principal: this.#entries.get(token), stamp: this.#generation };
  }

  /** Stores a verification only if nothing was invalidated since its `lookup` (no stale entries). */
  set(token: string, principal: Principal, stamp: number): void {
    if (stamp !== this.#generation || this.dataVersion() !== this.#seenVersion) return;
    if (this.#entries.size >= this.maxEntries) this.#entries.clear();
    this.#entries.set(token, principal);
  }

  /**
   * Whether `principal`, verified from `token` earlier in this request, is still what the cache
   * holds: true only while nothing that bears on tokens has changed since, here or in another
   * process. A constant-time look, for a write to re-check its caller at commit time.
   */
  stillHolds(token: string, principal: Principal): boolean {
    return this.lookup(token).principal === principal;
  }

  invalidate(): void {
    this.#entries.clear();
    this.#generation++;
    for (const fn of this.#listeners) fn();
  }

  /** Calls `fn` on every `invalidate()`: open deal-room sockets check their tokens again. */
  onInvalidate(fn: () => void): () => void {
    this.#listeners.add(fn);
    return () => this.#listeners.delete(fn);
  }
}
