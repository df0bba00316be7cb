import type { Principal } from '../principal.ts';

/**
 * Tokens that passed full verification, trusted only until something that bears on tokens
 * changes. Kept apart from the in-process cache (VerifiedTokenCache) because, with several
 * instances, an `invalidate()` on one must empty the others too.
 */
export interface TokenCache {
  /** The cached principal, if still trusted; else undefined and a stamp to pass to `set`. */
  lookup(token: string): { principal: Principal | undefined; stamp: number };
  /** Stores a verification only if nothing was invalidated since its `lookup`. */
  set(token: string, principal: Principal, stamp: number): void;
  /** Whether `principal`, verified from `token` earlier, is still what the cache holds. */
  stillHolds(token: string, principal: Principal): boolean;
  /** Forgets every entry; every change that bears on tokens calls it. */
  invalidate(): void;
  /** Calls `fn` on every `invalidate()`; returns the unsubscribe. */
  onInvalidate(fn: () => void): () => void;
}
