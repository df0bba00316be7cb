import type { AppDeps } from '../../deps.ts';
import type { Logger } from '../../core/logger.ts';
import type { Principal } from '../../tenants/principal.ts';
import type { SameCommit } from './same-commit.ts';

/** Built per request by the HTTP layer; the principal is added by `authedProcedure`. */
export interface Context {
  deps: AppDeps;
  log: Logger;
  requestId: string;
  /** The raw Authorization header, verified only when a procedure needs a principal. */
  authorization: string | undefined;
  /** The peer's address, for limits per source (sign-in). */
  source: string | undefined;
  /**
   * The principal of `authorization`, when the face has verified it already this request (REST
   * does, before reading a write's body), so it is verified once; a write re-checks it at commit.
   */
  verified?: Principal;
  /** What the face needs committed with a mutation's write (If-Match, Idempotency-Key). */
  sameCommit?: SameCommit;
}
