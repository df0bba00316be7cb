import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorCodes } from '../../../shared/errors/error-codes.ts';
import { startTestServer, type TestServer } from '../../../test/kit/harness.ts';
import { appRouter } from '../app-router.ts';
import type { RestMeta } from '../trpc/meta.ts';
import type { ProcedureLike } from './route-table.ts';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

let server: TestServer;
let text: string;
let doc: Json;

const procedures = appRouter._def.procedures as unknown as Record<string, ProcedureLike>;
/** Every procedure exposed under /api/v1, with its meta. */
const exposed = Object.entries(procedures)
  .map(([path, p]) => ({ path, meta: p._def.meta as RestMeta | undefined }))
  .filter((p) => p.meta?.openapi && p.meta.openapi.enabled !== false)
  .map((p) => ({ procedure: p.path, openapi: p.meta!.openapi!, rest: p.meta!.rest ?? {} }));

function operations(): { path: string; method: string; op: Json }[] {
  return Object.entries(doc.paths as Json).flatMap(([path, item]) =>
    Object.entries(item as Json).map(([method, op]) => ({ path, method, op: op as Json })),
  );
}

/** Every `$ref` anywhere in the document. */
function refs(node: unknown, out: string[] = []): string[] {
  if (Array.isArray(node)) node.forEach((n) => refs(n, out));
  else if (node && typeof node === 'object') {
    for (const [key, value] of Object.entries(node)) {
      if (key === '$ref' && typeof value === 'string') out.push(value);
      else refs(value, out);
    }
  }
  return out;
}

beforeAll(async () => {
  server = await startTestServer();
  const res = await fetch(`${server.url}/api/v1/openapi.json`);
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toMatch(/^application\/json/);
  text = await res.text();
  doc = JSON.parse(text) as Json;
});
afterAll(() => server.stop());

describe('the OpenAPI document', () => {
  it('is OpenAPI 3 JSON for the public base URL, served without a token', () => {
    expect(doc.openapi).toMatch(/^3\.\d+\.\d+$/);
    expect(doc.info).toMatchObject({ title: 'Tandem' });
    expect(doc.servers).toEqual([{ url: 'http://tandem.test/api/v1' }]);
  });

  it('has a path for every REST-exposed procedure and the routes served by hand, no other', () => {
    expect(exposed.length).toBeGreaterThanOrEqual(50);
    for (const { openapi } of exposed)
      expect(doc.paths[openapi.path]?.[openapi.method.toLowerCase()], openapi.path).toBeDefined();
    const byHand = ['post /token', 'get /attribution/export.json', 'get /attribution/export.csv'];
    for (const op of byHand)
      expect(doc.paths[op.split(' ')[1]!]?.[op.split(' ')[0]!]).toBeDefined();
    expect(operations()).toHaveLength(exposed.length + byHand.length);
  });

  it('gives every operation an id, a summary, a known tag and an example answer', () => {
    const tags = new Set((doc.tags as Json[]).map((t) => t.name as string));
    const ids = operations().map(({ op }) => op.operationId as string);
    expect(new Set(ids).size).toBe(ids.length);
    for (const { path, op } of operations()) {
      expect(op.summary, path).toBeTruthy();
      expect(op.tags.length, path).toBeGreaterThan(0);
      for (const tag of op.tags as string[]) expect(tags.has(tag), `${path} ${tag}`).toBe(true);
      const success = Object.entries(op.responses as Json).find(([s]) => Number(s) < 300)![1];
      for (const media of Object.values(success.content as Json))
        expect((media as Json).example, path).toBeDefined();
      for (const media of Object.values((op.requestBody?.content ?? {}) as Json))
        expect((media as Json).example, path).toBeDefined();
    }
  });

  it('asks a bearer token, or a client token with the scope, of every operation but the public ones', () => {
    expect(doc.components.securitySchemes.bearerAuth).toMatchObject({
      type: 'http',
      scheme: 'bearer',
    });
    expect(doc.components.securitySchemes.clientCredentials.flows.clientCredentials).toMatchObject({
      tokenUrl: 'http://tandem.test/api/v1/token',
    });
    for (const { openapi, rest } of exposed) {
      const op = doc.paths[openapi.path][openapi.method.toLowerCase()] as Json;
      if (rest.public) expect(op.security, openapi.path).toEqual([]);
      else expect(op.security[0], openapi.path).toEqual({ bearerAuth: [] });
    }
    expect(doc.paths['/partnerships'].post.security[1]).toEqual({
      clientCredentials: ['partners:manage'],
    });
    expect(doc.paths['/token'].post.security).toEqual([]);
  });

  it('describes every error with the one REST error body', () => {
    const error = doc.components.schemas.Error;
    expect(error.properties.error.properties.code.enum).toEqual([...errorCodes]);
    expect(error.properties.error.required).toEqual(['code', 'message', 'requestId']);
    for (const { path, op } of operations()) {
      const statuses = Object.keys(op.responses as Json).map(Number);
      expect(statuses.filter((s) => s >= 400).length, path).toBeGreaterThanOrEqual(3);
      for (const [status, response] of Object.entries(op.responses as Json)) {
        if (Number(status) < 400) continue;
        expect(response.content['application/json'].schema).toEqual({
          $ref: '#/components/schemas/Error',
        });
        expect(response.content['application/json'].example.error.code).toBeTruthy();
      }
    }
    expect(Object.keys(doc.components.schemas).some((k) => k.startsWith('error.'))).toBe(false);
  });

  it('documents Idempotency-Key on writes, If-Match where it applies, and ETag on deals', () => {
    for (const { openapi, rest } of exposed) {
      const op = doc.paths[openapi.path][openapi.method.toLowerCase()] as Json;
      const headers = ((op.parameters ?? []) as Json[])
        .filter((p) => p.in === 'header')
        .map((p) => p.name as string);
      expect(headers.includes('Idempotency-Key'), openapi.path).toBe(openapi.method !== 'GET');
      expect(headers.includes('If-Match'), openapi.path).toBe(rest.precondition !== undefined);
      const success = op.responses[rest.created ? '201' : '200'];
      expect(success, openapi.path).toBeDefined();
      expect(Boolean(success.headers?.ETag), openapi.path).toBe(Boolean(rest.etag));
    }
    expect(doc.paths['/opportunities/{id}'].patch.responses['412']).toBeDefined();
    expect(doc.paths['/opportunities'].post.responses['429'].headers['Retry-After']).toBeDefined();
  });

  it('shows the patch itself as the PATCH body, and the upsert item in a batch', () => {
    const patch = doc.paths['/opportunities/{id}'].patch.requestBody.content['application/json'];
    expect(Object.keys(patch.schema.properties)).toContain('amountMinor');
    expect(patch.schema.properties.patch).toBeUndefined();
    const batch = doc.paths['/opportunities/batch'].post.requestBody.content['application/json'];
    expect(batch.schema.properties.items.items).toEqual({
      $ref: '#/components/schemas/OpportunityUpsert',
    });
  });

  it('resolves every $ref to a component', () => {
    const all = refs(doc);
    expect(all.length).toBeGreaterThan(10);
    for (const ref of new Set(all)) {
      const name = ref.replace('#/components/schemas/', '');
      expect(doc.components.schemas[name], ref).toBeDefined();
    }
  });
});
