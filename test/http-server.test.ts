import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from './kit/harness.ts';

let server: TestServer;
let adminToken: string;

beforeAll(async () => {
  server = await startTestServer();
  adminToken = await (await server.company('acme')).memberToken('admin');
});
afterAll(() => server.stop());

async function call(path: string, init: RequestInit = {}) {
  const res = await fetch(`${server.url}${path}`, init);
  const text = await res.text();
  return { res, text, body: JSON.parse(text) as Record<string, any> }; // eslint-disable-line @typescript-eslint/no-explicit-any
}

describe('the HTTP server', () => {
  it('answers health once the database answers', async () => {
    const { res, body } = await call('/healthz');
    expect(res.status).toBe(200);
    expect(body).toEqual({ status: 'ok' });
    expect(res.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('echoes a caller-supplied request id', async () => {
    const { res } = await call('/healthz', { headers: { 'x-request-id': 'trace-123' } });
    expect(res.headers.get('x-request-id')).toBe('trace-123');
  });

  it('names each bad field of a tRPC input with a 400', async () => {
    const { res, body, text } = await call('/trpc/partnerships.invite', {
      method: 'POST',
      headers: { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ partner: '', partnerType: 'friend' }),
    });
    expect(res.status).toBe(400);
    expect(body.error.data.code).toBe('ValidationFailed');
    expect(body.error.data.issues.map((i: { path: string }) => i.path).sort()).toEqual([
      'partner',
      'partnerType',
    ]);
    expect(text).not.toMatch(/stack|at .*\.ts:\d+/);
  });

  it('answers an unknown path with a JSON 404 and no stack', async () => {
    const { res, body } = await call('/nowhere');
    expect(res.status).toBe(404);
    expect(body.error).toMatchObject({
      code: 'NotFound',
      requestId: res.headers.get('x-request-id'),
    });
  });

  it('refuses a body over the limit with 413', async () => {
    const { res, body } = await call('/trpc/partnerships.invite', {
      method: 'POST',
      headers: { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ partner: 'x'.repeat(2 * 1024 * 1024), partnerType: 'reseller' }),
    });
    expect(res.status).toBe(413);
    expect(body.error.data.code).toBe('PayloadTooLarge');
  });

  it('refuses a tRPC call without a token with 401', async () => {
    const { res, body } = await call('/trpc/companies.me');
    expect(res.status).toBe(401);
    expect(body.error.data.code).toBe('TokenMissing');
  });

  it('refuses malformed JSON on the token endpoint with 400', async () => {
    const { res, body } = await call('/api/v1/token', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"client_id":',
    });
    expect(res.status).toBe(400);
    expect(body.error).toMatchObject({ code: 'ValidationFailed' });
  });
});

describe('unknown fields', () => {
  it('are named one by one at their own path', async () => {
    const { res, body } = await call('/trpc/partnerships.invite', {
      method: 'POST',
      headers: { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ partner: 'globex', partnerType: 'reseller', colour: 'red', size: 3 }),
    });
    expect(res.status).toBe(400);
    expect(body.error.data.issues).toEqual([
      { path: 'colour', message: 'unknown field' },
      { path: 'size', message: 'unknown field' },
    ]);
  });
});
