import type { IncomingMessage } from 'node:http';
import type { TRPCError } from '@trpc/server';
import type { AppDeps } from '../../deps.ts';
import type { Logger } from '../../core/logger.ts';
import { retryAfterOf } from '../../core/domain-error.ts';
import type { Context } from '../trpc/context.ts';

/** What the HTTP layer knows of one request before tRPC sees it. */
export interface RequestScope {
  requestId: string;
  log: Logger;
}

/** The procedure context of one tRPC request, the same on the single-call path and the adapter. */
export function trpcContext(deps: AppDeps, req: IncomingMessage, scope: RequestScope): Context {
  return {
    deps,
    log: scope.log,
    requestId: scope.requestId,
    authorization: req.headers.authorization,
    source: req.socket.remoteAddress,
  };
}

/** A 429 says when to come back, as REST's does. */
export function retryAfterHeaders(errors: readonly TRPCError[]): Record<string, string> {
  for (const error of errors) {
    const wait = retryAfterOf(error);
    if (wait !== undefined) return { 'retry-after': String(wait) };
  }
  return {};
}

/** Only failures of ours are logged; a refusal is the caller's answer, not an incident. */
export function logProcedureFailure(log: Logger, error: TRPCError, procedure: string | undefined) {
  if (error.code === 'INTERNAL_SERVER_ERROR')
    log.error({ err: error.cause ?? error, procedure }, 'procedure failed');
}
