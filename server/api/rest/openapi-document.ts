import { generateOpenApiDocument, type OpenAPIObject } from 'trpc-to-openapi';
import { z } from 'zod';
import { errorCodes } from '../../../shared/errors/error-codes.ts';
import { upsertDealInput } from '../../opportunities/opportunity.service.ts';
import type { AnyRouter } from '@trpc/server';
import type { RouteTable } from './route-table.ts';

const errorSchema = z.object({
  error: z.object({
    code: z.enum(errorCodes).describe('Stable, machine-readable; the HTTP status follows from it'),
    message: z.string().describe('For people; may change'),
    issues: z
      .array(z.object({ path: z.string(), message: z.string() }))
      .optional()
      .describe('Each bad field, by dotted path (`fields.amountMinor`, `items.3.fields.currency`)'),
    details: z
      .unknown()
      .optional()
      .describe('Data to recover with, e.g. the current deal with a 412'),
    requestId: z.string().describe('Also in the `x-request-id` header; quote it to support'),
  }),
});

const errorText: Record<number, string> = {
  400: 'Invalid input: `issues` names each bad field',
  401: 'No valid bearer token',
  403: 'The token lacks the permission, or the caller may not change this deal',
  404: 'No such route, or no such deal among yours',
  409: 'Conflicts with the current state, or the Idempotency-Key is still in flight',
  412: 'If-Match names an old version; `details` holds the deal as it is now',
  413: 'The body is over 1 MiB',
  422: 'The Idempotency-Key was used for a different request',
  429: 'Too many writes; wait for Retry-After seconds',
  500: 'Internal error; the server log has the details under the request id',
};

const description = `Shared co-sell opportunities, their mutual plans and the change feed.

Authenticate with \`Authorization: Bearer <token>\`: a token of one of your API clients (POST /api/v1/token,
client-credentials grant) or of a member. Every failed request answers
\`{ "error": { "code", "message", "issues"?, "details"?, "requestId" } }\`.

Writes (POST, PUT, PATCH, DELETE) accept \`Idempotency-Key\`: a retry with the same key and the same
request within 24 hours gets the first answer again, byte for byte, with \`Idempotent-Replayed: true\`.
Answers that carry a deal send its version as \`ETag\`; send it back as \`If-Match\` to refuse a write
(412) when the deal changed meanwhile.`;

type Json = Record<string, unknown>;

/**
 * The OpenAPI 3 document of /api/v1, generated from the procedures' meta and zod schemas, then
 * fitted to what the REST handler actually does: our error body, 201 for creates, a body that is
 * one input field (`patch`) where the route says so.
 */
export function openApiDocument(
  router: AnyRouter,
  routes: RouteTable,
  options: { baseUrl: string; version: string },
): OpenAPIObject {
  const doc = generateOpenApiDocument(router, {
    title: 'Tandem',
    description,
    version: options.version,
    baseUrl: options.baseUrl,
    securitySchemes: {
      bearerAuth: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' },
    },
    defs: {
      Error: errorSchema,
      OpportunityUpsert: upsertDealInput.meta({ unusedIO: 'input' }),
    },
  });
  const schemas = (doc.components?.schemas ?? {}) as Json;
  for (const name of Object.keys(schemas)) if (name.startsWith('error.')) delete schemas[name];

  for (const route of routes.routes) {
    const operation = (doc.paths?.[route.path] as Json | undefined)?.[
      route.method.toLowerCase()
    ] as Json | undefined;
    if (!operation) continue;
    const responses = operation.responses as Record<string, Json>;
    for (const status of Object.keys(responses).map(Number)) {
      if (status < 400) continue;
      responses[status] = {
        description: errorText[status] ?? 'Error',
        content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
        ...(status === 429
          ? { headers: { 'Retry-After': { schema: { type: 'integer' }, description: 'Seconds' } } }
          : {}),
      };
    }
    if (route.options.created && responses[200]) {
      responses[201] = responses[200];
      delete responses[200];
    }
    const { body } = route.options;
    const content = (operation.requestBody as Json | undefined)?.content as
      Record<string, { schema: Json }> | undefined;
    if (body && content) {
      for (const media of Object.values(content)) {
        const inner = (media.schema.properties as Record<string, Json> | undefined)?.[body];
        if (inner) media.schema = inner;
      }
    }
  }
  return doc;
}
