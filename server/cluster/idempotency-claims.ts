import { DomainError } from '../core/domain-error.ts';

/** A principal's Idempotency-Key: another principal's same key is a key of its own. */
export interface ClaimedKey {
  companyId: string;
  principalId: string;
  key: string;
}

/** Ends a claim. Resolves even when the claim has lapsed and another request holds the key. */
export type ReleaseClaim = () => Promise<void>;

/**
 * Which Idempotency-Keys have a request running, so a second request with the same key meanwhile
 * is refused (409) rather than racing the first. The claim is only the polite answer: the stored
 * reply's unique key (KeyTakenMeanwhile) is what guarantees one effect if two ever run anyway.
 * MemoryIdempotencyClaims holds them in one process (SQLite); PgIdempotencyClaims in the database
 * every instance shares.
 */
export interface IdempotencyClaims {
  /** Claims the key until the returned release is called. Raises IdempotencyKeyInFlight. */
  claim(key: ClaimedKey): Promise<ReleaseClaim>;
}

export function keyInFlight(): DomainError {
  return new DomainError(
    'IdempotencyKeyInFlight',
    'a request with this Idempotency-Key is still being processed; retry shortly',
  );
}
