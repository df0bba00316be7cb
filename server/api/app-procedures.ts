import { TRPCError } from '@trpc/server';
import { appRouter } from './app-router.ts';
import type { Context } from './trpc/context.ts';

export type ProcedureType = 'query' | 'mutation' | 'subscription';

/** A procedure as tRPC holds it at run time: called with one call's options, its chain inside. */
export interface Procedure {
  (call: {
    path: string;
    type: ProcedureType;
    ctx: Context;
    getRawInput: () => Promise<unknown>;
    signal: AbortSignal | undefined;
    batchIndex: number;
  }): Promise<unknown>;
  _def: { type: ProcedureType; meta?: unknown; inputs: unknown[] };
}

// The router has no lazy parts, so every procedure is in this one map from the start.
const procedures = appRouter._def.procedures as unknown as Readonly<Record<string, Procedure>>;

/** The procedure at a dotted path, or undefined (never one of Object's own keys). */
export function procedureAt(path: string): Procedure | undefined {
  return Object.hasOwn(procedures, path) ? procedures[path] : undefined;
}

/**
 * Calls the procedure at a dotted path with a context and input, as tRPC's `createCaller` does
 * (its whole middleware chain, input validation and error formatting run), without building a
 * caller proxy and walking it on every request.
 */
export async function callProcedure(path: string, ctx: Context, input: unknown): Promise<unknown> {
  const procedure = procedureAt(path);
  if (!procedure) throw new TRPCError({ code: 'NOT_FOUND', message: `No procedure at "${path}"` });
  return procedure({
    path,
    type: procedure._def.type,
    ctx,
    getRawInput: () => Promise.resolve(input),
    signal: undefined,
    batchIndex: 0,
  });
}
