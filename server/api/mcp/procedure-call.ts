import { callProcedure } from '../app-procedures.ts';
import type { Context } from '../trpc/context.ts';

export type ProcedureCall = (procedure: string, input: unknown) => Promise<unknown>;

/**
 * Calls procedures by dotted path with one request's context, as the REST face does: the
 * procedure's own middleware (token, scope, write budget, re-check at commit) and input
 * validation run on every call.
 */
export function procedureCaller(ctx: Context): ProcedureCall {
  return (procedure, input) => callProcedure(procedure, ctx, input);
}
