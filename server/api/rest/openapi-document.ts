import { generateOpenApiDocument, type OpenAPIObject } from 'trpc-to-openapi';
import { z } from 'zod';
import { errorCodes, type ErrorCode } from '../../../shared/errors/error-codes.ts';
import type { Scope } from '../../../shared/tenancy/tenancy.ts';
import { upsertDealInput } from '../../opportunities/opportunity.service.ts';
import type { AnyRouter } from '@trpc/server';
import { exampleOf } from './openapi-examples.ts';
import { handRoutes } from './openapi-hand-routes.ts';
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

const errorText: Record<number, [text: string, example: ErrorCode]> = {
  400: ['Invalid input: `issues` names each bad field', 'ValidationFailed'],
  401: ['No valid bearer token', 'TokenMissing'],
  403: ['The token lacks the permission, or the caller may not change this', 'Forbidden'],
  404: ['No such route, or nothing of that id among yours', 'NotFound'],
  409: ['Conflicts with the current state, or the Idempotency-Key is in flight', 'Conflict'],
  412: [
    'If-Match names an old version; `details` holds the deal as it is now',
    'PreconditionFailed',
  ],
  413: ['The body is over 1 MiB', 'PayloadTooLarge'],
  422: ['The Idempotency-Key was used for a different request', 'IdempotencyKeyReused'],
  429: ['Too many requests; wait for Retry-After seconds', 'RateLimited'],
  500: ['Internal error; the server log has the details under the request id', 'Internal'],
};

/** What each scope lets a client do; a scope missing here fails to compile. */
const scopeText: Record<Scope, string> = {
  'opportunities:read': 'Read your shared deals, their plans and the change feed',
  'opportunities:write': 'Create, change and share deals; add and change co-sell steps',
  'attribution:sign': 'Sign or dispute attribution statements for your company',
  'export:read': 'Read the signed finance export',
  'partners:read': 'Read partnerships, account overlap, program health and partner profiles',
  'partners:manage': 'Invite and answer partners; upload accounts; set sharing rules and profiles',
  'webhooks:manage': 'Register and manage webhook endpoints',
  'company:admin': 'Manage members, API clients, keys and tokens',
};

const tagText: Record<string, string> = {
  opportunities: 'Shared co-sell opportunities (deal rooms): create, upsert by CRM id, share',
  'co-sell steps': 'The mutual action plan of a deal',
  changes: 'The change feed: events of your deals since a cursor',
  attribution: 'Who earned which share of a won deal, signed by every company; the finance export',
  accounts: 'Your account list (private) and its overlap with a partner, as sharing rules allow',
  'program health': 'Activated vs paper partners, concentration, co-sold vs not',
  'partner profiles': 'Ideal partner profiles and the recruit / nurture / pass scores',
  'ideal partners': 'Partners ranked for a deal by how much they raise the chance to win',
  partnerships: 'Mutual links between companies: invite, accept, decline, end',
  members: 'People of your company and their roles (admin)',
  'api clients': 'Service principals of your company and their scopes (admin)',
  keys: 'Signing keys: rotate, retire, register your own; public JWKS',
  tokens: 'Access tokens: the client-credentials grant, revocation',
  companies: 'Who you are',
  webhooks: 'Endpoints that receive the change feed as it happens',
  transparency:
    "Each partnership's Merkle log (RFC 9162): checkpoints as C2SP signed notes cosigned by both companies' witnesses, inclusion and consistency proofs, registration receipts",
};

const description = `Shared co-sell opportunities, their mutual plans, attribution, partnerships and
the partner program, for partners' systems, finance and operator scripts.

Authenticate with \`Authorization: Bearer <token>\`: a token of one of your API clients (POST /token,
client-credentials grant) or of a member. Every failed request answers
\`{ "error": { "code", "message", "issues"?, "details"?, "requestId" } }\`.

Writes (POST, PUT, PATCH, DELETE) accept \`Idempotency-Key\`: a retry with the same key and the same
request within 24 hours gets the first answer again, byte for byte, with \`Idempotent-Replayed: true\`.
Answers that carry a deal send its version as \`ETag\`; send it back as \`If-Match\` to refuse a write
(412) when the deal changed meanwhile. Paged lists link the next page in a \`Link: <…>; rel="next"\`
header and give its cursor in the body.`;

type Json = Record<string, unknown>;
const methods = ['get', 'post', 'put', 'patch', 'delete'];

function errorResponse(status: number): Json {
  const [text, code] = errorText[status] ?? ['Error', 'Internal'];
  const example = {
    error: {
      code,
      message: text,
      ...(code === 'ValidationFailed'
        ? { issues: [{ path: 'fields.amountMinor', message: 'expected an integer' }] }
        : {}),
      requestId: '6f1c0e6e-8a1e-4a53-9d0e-7a3c2b1f4e55',
    },
  };
  return {
    description: text,
    content: {
      'application/json': { schema: { $ref: '#/components/schemas/Error' }, example },
    },
    ...(status === 429
      ? { headers: { 'Retry-After': { schema: { type: 'integer' }, description: 'Seconds' } } }
      : {}),
  };
}

/** Every error our error body, every body and answer an example made from its schema. */
function finishOperation(doc: Json, operation: Json): void {
  const responses = operation.responses as Record<string, Json>;
  for (const [status, response] of Object.entries(responses)) {
    if (Number(status) >= 400) {
      responses[status] = errorResponse(Number(status));
      continue;
    }
    for (const media of Object.values((response.content ?? {}) as Record<string, Json>))
      media.example ??= exampleOf(doc, media.schema as Json);
  }
  const body = operation.requestBody as Json | undefined;
  for (const media of Object.values((body?.content ?? {}) as Record<string, Json>))
    media.example ??= exampleOf(doc, media.schema as Json);
  for (const parameter of (operation.parameters ?? []) as Json[]) {
    if (parameter.in === 'path' || parameter.in === 'query')
      parameter.example ??= exampleOf(doc, parameter.schema as Json, parameter.name as string);
  }
}

/**
 * The OpenAPI 3.1 document of /api/v1, generated from the procedures' meta and zod schemas, then
 * fitted to what the REST handler actually does: our error body, 201 for creates, a body that is
 * one input field (`patch`) where the route says so, the scope each operation needs, the routes
 * served by hand, and examples made from the schemas.
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
      clientCredentials: {
        type: 'oauth2',
        description: "An API client's token; the operation needs the scope listed",
        flows: { clientCredentials: { tokenUrl: `${options.baseUrl}/token`, scopes: scopeText } },
      },
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
    operation.security = route.options.public
      ? []
      : [{ bearerAuth: [] }, { clientCredentials: route.scope ? [route.scope] : [] }];
    const responses = operation.responses as Record<string, Json>;
    if (route.options.created && responses[200]) {
      responses[201] = { ...responses[200], description: 'Created' };
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
  const paths = (doc.paths ?? {}) as Record<string, Json>;
  for (const [path, item] of Object.entries(handRoutes()))
    paths[path] = { ...paths[path], ...item };
  for (const item of Object.values((doc.paths ?? {}) as Record<string, Json>))
    for (const method of methods)
      if (item[method]) finishOperation(doc as unknown as Json, item[method] as Json);
  doc.tags = Object.entries(tagText).map(([name, text]) => ({ name, description: text }));
  return doc;
}
