import { initTRPC, TRPCError } from '@trpc/server';
import type { OpenApiMeta } from 'trpc-to-openapi';
import type { Scope } from '../../../shared/tenancy/tenancy.ts';
import { DomainError } from '../../core/domain-error.ts';
import { toErrorBody } from '../../core/error-body.ts';
import { errorStatus } from '../../core/error-status.ts';
import { assertWellFormedText } from '../../core/parse-input.ts';
import type { Context } from './context.ts';
import type { McpToolMeta } from './meta.ts';

/**
 * What a procedure declares about itself: its REST route, the scope it needs (if any), and the
 * MCP tool it is offered as (if any).
 */
export type ProcedureMeta = OpenApiMeta & { scope?: Scope; mcp?: McpToolMeta };

/** The only `initTRPC` of the server. One error formatter: code, message, field issues; no stack. */
const t = initTRPC
  .context<Context>()
  .meta<ProcedureMeta>()
  .create({
    isDev: false,
    errorFormatter({ shape, error, ctx }) {
      const body = toErrorBody(error);
      return {
        message: body.message,
        code: shape.code,
        data: {
          code: body.code,
          httpStatus: shape.data.httpStatus,
          path: shape.data.path,
          ...(body.issues ? { issues: body.issues } : {}),
          ...(body.details !== undefined ? { details: body.details } : {}),
          ...(ctx ? { requestId: ctx.requestId } : {}),
        },
      };
    },
  });

/** A DomainError as the tRPC error of its code (and so of its HTTP status). */
function asTrpcError(cause: DomainError): TRPCError {
  return new TRPCError({ code: errorStatus[cause.code].trpc, message: cause.message, cause });
}

/**
 * Every procedure's first step, one middleware rather than two (each level of tRPC's chain
 * copies the call's options): text enters well formed or not at all (an unpaired surrogate is
 * refused naming its field), and a DomainError thrown by a service becomes its tRPC code.
 */
const base = t.middleware(async ({ getRawInput, next }) => {
  try {
    assertWellFormedText(await getRawInput());
  } catch (error) {
    throw error instanceof DomainError ? asTrpcError(error) : error;
  }
  const result = await next();
  if (!result.ok && result.error.cause instanceof DomainError)
    throw asTrpcError(result.error.cause);
  return result;
});

export const router = t.router;
export const middleware = t.middleware;
export const publicProcedure = t.procedure.use(base);
