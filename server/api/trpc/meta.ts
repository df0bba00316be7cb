import type { OpenApiMeta } from 'trpc-to-openapi';
import { z } from 'zod';
import type { Scope } from '../../../shared/tenancy/tenancy.ts';

type OpenApi = NonNullable<OpenApiMeta['openapi']>;

/** How the REST face treats a procedure beyond its method and path. */
export interface RestOptions {
  /** Answer 201 (a create) rather than 200. */
  created?: boolean;
  /**
   * The request body is this one input field (`patch`, `step`), the rest of the input being path
   * parameters, so a REST body is the object itself rather than a wrapper around it.
   */
  body?: string;
  /** The answer is a deal: its version goes out as a strong `ETag`. */
  etag?: boolean;
  /**
   * The one deal this write touches, so `If-Match` applies: named by the input's `id` or `dealId`,
   * or by the caller's `externalRef`. With `expectedVersion`, the version goes to the service as
   * that input field; otherwise the REST layer checks it in the write's transaction.
   */
  precondition?: { deal: 'id' | 'dealId' | 'externalRef'; expectedVersion?: boolean };
  /**
   * A keyset-paged list: the answer's `next` field holds the cursor of the next page (null at the
   * end), which goes back as the `cursor` query parameter; REST also links that page in `Link`.
   */
  page?: { cursor: string; next: string };
  /** Served without a token (public keys): no security requirement, no 401 or 403. */
  public?: boolean;
}

/** What the route table reads back from a procedure's meta. */
export interface RestMeta {
  openapi?: OpenApi;
  /** Set by `scopedProcedure`. */
  scope?: Scope;
  rest?: RestOptions;
}

const idempotencyKey = z
  .string()
  .min(1)
  .max(255)
  .optional()
  .describe(
    'Makes a retry safe: the same key with the same request within 24 h returns the first answer ' +
      '(with `Idempotent-Replayed: true`) instead of writing again; with another body, 422.',
  );
const ifMatch = z
  .string()
  .optional()
  .describe('`"<version>"` from an ETag: refuse the write with 412 unless the deal is still there');

/**
 * The meta of a procedure exposed under /api/v1: its OpenAPI route, always behind a bearer token,
 * with the Idempotency-Key and If-Match headers documented where they apply.
 */
export function restRoute(
  route: Pick<OpenApi, 'method' | 'path' | 'summary' | 'description' | 'tags'>,
  options: RestOptions = {},
): OpenApiMeta & RestMeta {
  const write = route.method !== 'GET';
  const headers = {
    ...(write ? { 'Idempotency-Key': idempotencyKey } : {}),
    ...(options.precondition ? { 'If-Match': ifMatch } : {}),
  };
  const responseHeaders = {
    ...(options.etag ? { ETag: z.string().describe('`"<version>"` of the deal') } : {}),
    ...(options.page
      ? {
          Link: z
            .string()
            .optional()
            .describe('`<url>; rel="next"`: the next page, absent on the last one'),
        }
      : {}),
    ...(write
      ? {
          'Idempotent-Replayed': z
            .literal('true')
            .optional()
            .describe('Present when this is the stored answer to an earlier request with the key'),
        }
      : {}),
  };
  const errors = options.public ? [400, 404, 500] : [400, 401, 403, 404, 500];
  if (write) errors.push(409, 413, 422, 429);
  if (options.precondition) errors.push(412);
  return {
    openapi: {
      ...route,
      protect: !options.public,
      ...(Object.keys(headers).length > 0 ? { requestHeaders: z.object(headers) } : {}),
      ...(Object.keys(responseHeaders).length > 0
        ? { responseHeaders: z.object(responseHeaders) }
        : {}),
      ...(options.created ? { successDescription: 'Created' } : {}),
      errorResponses: errors.sort((a, b) => a - b),
    },
    rest: options,
  };
}

/**
 * How the MCP face offers a procedure to agents as a tool (see server/api/mcp/). The tool's input
 * schema is the procedure's own and every call goes through the procedure, so scopes, access,
 * limits and validation are the same as on tRPC and REST.
 */
export interface McpToolMeta {
  /** The tool name agents see: snake_case, `[a-z0-9_]`, unique. */
  name: string;
  title: string;
  /** What the tool answers, written for a model. */
  description: string;
  /** The tool changes the shared record (the ledger then names the tool with the principal). */
  write?: boolean;
  /**
   * The call only proposes the change and answers its diff with a confirmation; nothing is
   * written until the agent calls `confirm_change` with it (after asking its user).
   */
  confirm?: boolean;
}

export function mcpTool(tool: McpToolMeta): { mcp: McpToolMeta } {
  return { mcp: tool };
}
