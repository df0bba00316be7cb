/**
 * The /api/v1 routes served by hand rather than from a procedure (the OAuth token grant, which
 * answers in OAuth's own shape, and the streamed finance export), described here so the document
 * covers every path a partner calls. `openapi-document.ts` adds error bodies and examples to them
 * as to every other operation.
 */

type Json = Record<string, unknown>;

const jws = {
  type: 'object',
  description: 'JWS JSON General serialization: one signature per company (RFC 7515)',
  required: ['payload', 'signatures'],
  properties: {
    payload: { type: 'string', description: 'base64url of the RFC 8785 canonical JSON signed' },
    signatures: {
      type: 'array',
      items: {
        type: 'object',
        required: ['protected', 'signature'],
        properties: { protected: { type: 'string' }, signature: { type: 'string' } },
      },
    },
  },
};

const periodParameters = [
  {
    in: 'query',
    name: 'period',
    schema: { type: 'string', pattern: '^\\d{4}-Q[1-4]$' },
    example: '2026-Q3',
    description: 'A quarter; or give `from` and `to` instead',
  },
  { in: 'query', name: 'from', schema: { type: 'string', format: 'date' }, example: '2026-07-01' },
  { in: 'query', name: 'to', schema: { type: 'string', format: 'date' }, example: '2026-09-30' },
];

const exportJson = {
  type: 'object',
  required: ['format', 'company', 'period', 'records', 'manifest'],
  properties: {
    format: { type: 'string' },
    company: {
      type: 'object',
      properties: { id: { type: 'string' }, iss: { type: 'string' } },
    },
    period: {
      type: 'object',
      properties: { from: { type: 'string' }, to: { type: 'string' }, label: { type: 'string' } },
    },
    records: {
      type: 'array',
      description: "Each sealed statement with every participant's signature",
      items: jws,
    },
    manifest: { ...jws, description: 'Totals and hashes of the records and the CSV, signed' },
  },
};

function exportOperation(kind: 'json' | 'csv'): Json {
  return {
    operationId: `attribution-export-${kind}`,
    summary:
      kind === 'json'
        ? 'The period’s sealed attribution, signed by every company: verifiable offline with JWKS'
        : 'The period’s sealed attribution as CSV (its hash is in the JSON export’s manifest)',
    tags: ['attribution'],
    security: [{ bearerAuth: [] }, { clientCredentials: ['export:read'] }],
    parameters: periodParameters,
    responses: {
      200: {
        description: 'Streamed',
        content:
          kind === 'json'
            ? { 'application/json': { schema: exportJson } }
            : { 'text/csv': { schema: { type: 'string' } } },
      },
      400: {},
      401: {},
      403: {},
      500: {},
    },
  };
}

export function handRoutes(): Record<string, Json> {
  return {
    '/token': {
      post: {
        operationId: 'token',
        summary: 'An access token for an API client (OAuth 2 client-credentials grant)',
        description:
          'JSON or form body. Rate-limited per client and per address. Takes no Idempotency-Key: ' +
          'a retry simply gets a fresh token, and tokens are never stored to be replayed.',
        tags: ['tokens'],
        security: [],
        requestBody: {
          required: true,
          content: {
            'application/json': {
              schema: {
                type: 'object',
                required: ['client_id', 'client_secret'],
                properties: {
                  grant_type: { type: 'string', const: 'client_credentials' },
                  client_id: { type: 'string', example: 'cli_01JD3XT9P4' },
                  client_secret: { type: 'string', example: 'tsk_9fV2cQ7b…' },
                  scope: {
                    type: 'string',
                    description:
                      'Space-separated; narrows the token to some of the client’s scopes',
                    example: 'opportunities:read opportunities:write',
                  },
                },
              },
            },
          },
        },
        responses: {
          200: {
            description: 'The token',
            content: {
              'application/json': {
                schema: {
                  type: 'object',
                  required: ['access_token', 'token_type', 'expires_in', 'scope'],
                  properties: {
                    access_token: { type: 'string', example: 'eyJhbGciOiJFZERTQSIs…' },
                    token_type: { type: 'string', const: 'Bearer' },
                    expires_in: { type: 'integer', example: 900 },
                    scope: { type: 'string', example: 'opportunities:read opportunities:write' },
                  },
                },
              },
            },
          },
          400: {},
          401: {},
          403: {},
          429: {},
          500: {},
        },
      },
    },
    '/attribution/export.json': { get: exportOperation('json') },
    '/attribution/export.csv': { get: exportOperation('csv') },
  };
}
