import type { IncomingMessage, ServerResponse } from 'node:http';
import { nodeHTTPRequestHandler } from '@trpc/server/adapters/node-http';
import { maxBatchCalls } from '../../../shared/api/batch-limit.ts';
import type { AppDeps } from '../../deps.ts';
import { appRouter } from '../app-router.ts';
import {
  logProcedureFailure,
  retryAfterHeaders,
  trpcContext,
  type RequestScope,
} from './trpc-options.ts';

/**
 * tRPC's own Node adapter, for every call the single-call path leaves to it: batches, streams,
 * subscriptions, HEAD, method mismatches, other content types. `path` is the procedure path as
 * it appears after `/trpc/`.
 */
export function serveTrpcAdapter(
  deps: AppDeps,
  req: IncomingMessage,
  res: ServerResponse,
  path: string,
  scope: RequestScope,
  maxBodyBytes: number,
): Promise<void> {
  return nodeHTTPRequestHandler({
    router: appRouter,
    req,
    res,
    path,
    maxBodySize: maxBodyBytes,
    maxBatchSize: maxBatchCalls,
    responseMeta: ({ errors }) => ({ headers: retryAfterHeaders(errors) }),
    createContext: () => trpcContext(deps, req, scope),
    onError: ({ error, path: procedure }) => logProcedureFailure(scope.log, error, procedure),
  });
}
