import { appRouter } from '../app-router.ts';
import type { Context } from '../trpc/context.ts';
import { createCallerFactory } from '../trpc/init.ts';

const createCaller = createCallerFactory(appRouter);

export type ProcedureCall = (procedure: string, input: unknown) => Promise<unknown>;

/**
 * Calls procedures by dotted path with one request's context, through the same tRPC caller the
 * REST face uses: the procedure's own middleware (token, scope, write budget, re-check at commit)
 * and input validation run on every call.
 */
export function procedureCaller(ctx: Context): ProcedureCall {
  const caller = createCaller(ctx) as unknown as Record<string, unknown>;
  return (procedure, input) => {
    let node: unknown = caller;
    for (const part of procedure.split('.')) node = (node as Record<string, unknown>)[part];
    return (node as (input: unknown) => Promise<unknown>)(input);
  };
}
