import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../../test/kit/harness.ts';

let server: TestServer;
let token: string;

beforeAll(async () => {
  server = await startTestServer();
  token = await (await server.company('acme')).memberToken('admin');
});
afterAll(async () => {
  await server.stop();
});

async function trpc(path: string, init: RequestInit = {}) {
  const res = await fetch(`${server.url}/trpc/${path}`, {
    ...init,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
  });
  return {
    status: res.status,
    body: (await res.json()) as {
      error: { message: string; data: { code: string; issues?: { path: string }[] } };
    },
  };
}

describe('tRPC refusals', () => {
  // Found by the API fuzzer: REST named the root for a body that is not JSON, tRPC named nothing.
  it('refuses a mutation body that is not JSON with 400 naming the root, as REST does', async () => {
    const { status, body } = await trpc('opportunities.upsert', { method: 'POST', body: '{"a":' });
    expect(status).toBe(400);
    expect(body.error.data.code).toBe('ValidationFailed');
    expect(body.error.data.issues).toEqual([{ path: '(root)', message: 'not valid JSON' }]);
  });

  it('refuses an unpaired surrogate in a notes update with 400 naming the field', async () => {
    const deal = await server.client(token).opportunities.create.mutate({
      fields: { title: 'Notes', customer: { name: 'Initech' }, amountMinor: 1, currency: 'EUR' },
    });
    const { status, body } = await trpc('opportunities.update', {
      method: 'POST',
      body: JSON.stringify({ id: deal.id, patch: { notes: 'lone \uD800 high' } }),
    });
    expect(status).toBe(400);
    expect(body.error.data.code).toBe('ValidationFailed');
    expect(body.error.data.issues?.map((i) => i.path)).toEqual(['patch.notes']);
    const after = await server.client(token).opportunities.get.query({ id: deal.id });
    expect(after.fields?.notes ?? '').toBe('');
  });

  it('refuses a query input that is not JSON the same way', async () => {
    const { status, body } = await trpc(`opportunities.get?input=${encodeURIComponent('=x')}`);
    expect(status).toBe(400);
    expect(body.error.data.issues).toEqual([{ path: '(root)', message: 'not valid JSON' }]);
  });
});
