import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../../test/kit/harness.ts';
import { serveTrpcAdapter } from './trpc-adapter.ts';
import { maxBodyBytes } from './app-server.ts';

/**
 * The single-call path must answer exactly as tRPC's adapter would. Each call goes to the real
 * server (single-call path) and to tRPC's adapter serving the same deps on a server of its own,
 * with the same request id, and the two answers are compared.
 */

let server: TestServer;
let adapter: http.Server;
let adapterUrl: string;
let admin: string;
let viewer: string;
let budget: string;
let sdk: string;

// Even, so a budget runs out between two pairs of calls, never inside one.
const perMinute = 8;
const requestId = 'same-request';

beforeAll(async () => {
  server = await startTestServer({ env: { TANDEM_RATE_LIMIT_PER_MIN: String(perMinute) } });
  const acme = await server.company('acme');
  [admin, viewer, budget, sdk] = await Promise.all([
    acme.memberToken('admin'),
    acme.memberToken('viewer'),
    acme.memberToken('admin'),
    acme.memberToken('admin'),
  ]);
  const { deps } = server;
  adapter = http.createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname.slice('/trpc/'.length);
    void serveTrpcAdapter(deps, req, res, path, { requestId, log: deps.logger }, maxBodyBytes);
  });
  await new Promise<void>((resolve) => adapter.listen(0, '127.0.0.1', resolve));
  adapterUrl = `http://127.0.0.1:${(adapter.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise((resolve) => adapter.close(resolve));
  await server.stop();
});

interface Call {
  method: 'GET' | 'POST';
  path: string;
  token?: string;
  body?: string;
  contentType?: string;
}

async function send(base: string, call: Call) {
  const res = await fetch(`${base}/trpc/${call.path}`, {
    method: call.method,
    headers: {
      'x-request-id': requestId,
      ...(call.token ? { authorization: `Bearer ${call.token}` } : {}),
      ...(call.method === 'POST' ? { 'content-type': call.contentType ?? 'application/json' } : {}),
    },
    body: call.body,
  });
  return {
    status: res.status,
    contentType: res.headers.get('content-type'),
    vary: res.headers.get('vary'),
    retryAfter: res.headers.get('retry-after') !== null,
    chunked: res.headers.get('transfer-encoding') === 'chunked',
    body: (await res.json()) as unknown,
  };
}

/** The call on both, answered the same; the single-call path did answer it (not chunked). */
async function same(call: Call) {
  const fast = await send(server.url, call);
  const stock = await send(adapterUrl, call);
  expect(stock.chunked).toBe(true);
  expect(fast.chunked).toBe(false);
  expect({ ...fast, chunked: undefined }).toEqual({ ...stock, chunked: undefined });
  return fast;
}

const fields = (title: string) => ({
  title,
  customer: { name: 'Initech' },
  amountMinor: 100,
  currency: 'EUR',
});
const upsert = (input: unknown, token = admin): Call => ({
  method: 'POST',
  path: 'opportunities.upsert',
  token,
  body: JSON.stringify(input),
});
const get = (id: string, token = admin): Call => ({
  method: 'GET',
  path: `opportunities.get?input=${encodeURIComponent(JSON.stringify({ id }))}`,
  token,
});

describe('the single-call tRPC path', () => {
  it('answers a mutation and a query as the adapter does', async () => {
    // The same push twice changes nothing, so both answer the same deal at the same version.
    const written = await same(upsert({ externalRef: 'SC-1', fields: fields('Single call') }));
    expect(written.status).toBe(200);
    const { id } = (written.body as { result: { data: { id: string } } }).result.data;
    expect((await same(get(id))).status).toBe(200);
    expect((await same({ method: 'GET', path: 'health' })).body).toEqual({
      result: { data: { status: 'ok' } },
    });
  });

  it('refuses a bad field naming its path, as the adapter does', async () => {
    const bad = { externalRef: 'SC-2', fields: { ...fields('Bad'), amountMinor: 'lots' } };
    const refused = await same(upsert(bad));
    expect(refused.status).toBe(400);
    expect(refused.body).toMatchObject({
      error: { data: { code: 'ValidationFailed', path: 'opportunities.upsert', requestId } },
    });
    const issues = (refused.body as { error: { data: { issues: { path: string }[] } } }).error.data
      .issues;
    expect(issues.map((i) => i.path)).toEqual(['fields.amountMinor']);
    expect((await same({ ...upsert({}), body: '{"a":' })).status).toBe(400);
    expect((await same({ ...get('x'), path: 'opportunities.get?input=%3Dx' })).status).toBe(400);
  });

  it('reads a body as the adapter does: empty, or led by a byte-order mark', async () => {
    expect((await same({ ...upsert({}), body: '' })).status).toBe(400);
    const input = { externalRef: 'SC-5', fields: fields('With a BOM') };
    const bom = await same({ ...upsert({}), body: `\uFEFF${JSON.stringify(input)}` });
    expect(bom.status).toBe(200);
  });

  it('refuses a missing token, a missing scope and an unknown deal as the adapter does', async () => {
    expect((await same(upsert({ externalRef: 'SC-3', fields: fields('No') }, ''))).status).toBe(
      401,
    );
    expect((await same(upsert({ externalRef: 'SC-3', fields: fields('No') }, viewer))).status).toBe(
      403,
    );
    const missing = await same(get('00000000-0000-4000-8000-000000000000'));
    expect(missing.status).toBe(404);
    expect(missing.body).toMatchObject({ error: { data: { code: 'NotFound' } } });
  });

  it('answers an exhausted write budget 429 with Retry-After, as the adapter does', async () => {
    let last;
    for (let n = 0; n <= perMinute / 2; n++)
      last = await same(upsert({ externalRef: `SC-B${n}`, fields: fields('Budget') }, budget));
    expect(last?.status).toBe(429);
    expect(last?.retryAfter).toBe(true);
  });

  it('leaves batches, method mismatches and other content types to the adapter', async () => {
    const batch = await fetch(`${server.url}/trpc/health,health?batch=1`, {
      headers: { authorization: `Bearer ${admin}` },
    });
    expect(batch.status).toBe(200);
    expect(await batch.json()).toEqual([
      { result: { data: { status: 'ok' } } },
      { result: { data: { status: 'ok' } } },
    ]);
    const wrongMethod = await send(server.url, { ...upsert({}), method: 'GET', body: undefined });
    expect(wrongMethod.status).toBe(405);
    expect(wrongMethod.chunked).toBe(true);
    const text = await send(server.url, { ...upsert({}), contentType: 'text/plain' });
    expect(text.status).toBe(415);
    expect(text.chunked).toBe(true);
  });

  it('serves the SDK, whose calls are batched', async () => {
    const client = server.client(sdk);
    const [health, deal] = await Promise.all([
      client.health.query(),
      client.opportunities.upsert.mutate({ externalRef: 'SC-4', fields: fields('SDK') }),
    ]);
    expect(health).toEqual({ status: 'ok' });
    expect(deal.externalRef).toBe('SC-4');
  });
});
