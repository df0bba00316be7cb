import type { AppDeps } from '../../deps.ts';
import type { Logger } from '../../core/logger.ts';

/** Built per request by the HTTP layer; the principal is added by `authedProcedure`. */
export interface Context {
  deps: AppDeps;
  log: Logger;
  requestId: string;
  /** The raw Authorization header, verified only when a procedure needs a principal. */
  authorization: string | undefined;
  /** The peer's address, for limits per source (sign-in). */
  source: string | undefined;
}
