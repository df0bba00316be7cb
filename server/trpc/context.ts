import type { AppDeps } from '../app-deps.ts';
import type { Logger } from '../core/logger.ts';
import type { Principal } from '../tenants/principal.ts';

/** Built per request by the HTTP layer; the principal is added by `authedProcedure`. */
export interface Context {
  deps: AppDeps;
  log: Logger;
  requestId: string;
  /** The raw Authorization header, verified only when a procedure needs a principal. */
  authorization: string | undefined;
  /**
   * The principal of that header when the face has verified it already in this request (a REST
   * write needs it first, for its rate limit), so the procedure does not verify it again.
   */
  verified?: Principal;
}
