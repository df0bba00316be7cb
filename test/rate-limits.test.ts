import { createTRPCUntypedClient, httpBatchLink, TRPCClientError } from '@trpc/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { maxBatchCalls } from '../shared/api/batch-limit.ts';
import { fieldsMap } from '../shared/sync/deal-doc.ts';
import { closeCodes } from '../shared/sync/close-codes.ts';
import type { AppRouter } from '../server/api/app-router.ts';
import { restApi } from './kit/rest-api.ts';
import { partnerPair, sharedDeal, type PartnerPair } from './kit/fixtures.ts';
import { startTestServer, type TestServer } from './kit/harness.ts';
import { joinRoom } from './kit/sync-client.ts';
import { eventually } from './kit/sync-client.ts';

/** One write budget per principal, whatever the face: tRPC, REST and the deal rooms share it. */

const perMinute = 6;
let server: TestServer;
let world: PartnerPair;

beforeAll(async () => {
  server = await startTestServer({ env: { TANDEM_RATE_LIMIT_PER_MIN: String(perMinute) } });
  world = await partnerPair(server);
});
afterAll(() => server.stop());

const trpcPost = (token: string, path: string, input: unknown) =>
  fetch(`${server.url}/trpc/${path}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify(input),
  });
const draft = (n: number) => ({
  fields: {
    title: `Budget ${n}`,
    customer: { name: 'Initech' },
    amountMinor: 100,
    currency: 'EUR',
  },
});

describe('the write budget', () => {
  it('is one budget over tRPC and REST, answered 429 with Retry-After on both', async () => {
    const token = await world.acme.memberToken('seller');
    const rest = restApi(server.url, token);
    for (let n = 0; n < perMinute / 2; n++) {
      expect((await trpcPost(token, 'opportunities.create', draft(n))).status).toBe(200);
      expect((await rest('POST', '/opportunities', { body: draft(n + 10) })).status).toBe(201);
    }
    const overTrpc = await trpcPost(token, 'opportunities.create', draft(20));
    expect(overTrpc.status).toBe(429);
    expect(Number(overTrpc.headers.get('retry-after'))).toBeGreaterThan(0);
    const body = (await overTrpc.json()) as { error: { data: { code: string } } };
    expect(body.error.data.code).toBe('RateLimited');
    const overRest = await rest('POST', '/opportunities', { body: draft(21) });
    expect(overRest.status).toBe(429);
    expect(Number(overRest.headers.get('retry-after'))).toBeGreaterThan(0);
    // Reads are not writes, and a colleague has a budget of its own.
    expect((await rest('GET', '/opportunities')).status).toBe(200);
    const colleague = await world.acme.memberToken('seller');
    expect((await trpcPost(colleague, 'opportunities.create', draft(30))).status).toBe(200);
  });

  it('does not keep a 429 as the answer to an Idempotency-Key, so the retry is not a replay', async () => {
    const token = await world.acme.memberToken('seller');
    const rest = restApi(server.url, token);
    for (let n = 0; n < perMinute; n++)
      expect((await trpcPost(token, 'opportunities.create', draft(50 + n))).status).toBe(200);
    const headers = { 'idempotency-key': 'key-over-budget' };
    expect((await rest('POST', '/opportunities', { body: draft(60), headers })).status).toBe(429);
    const again = await rest('POST', '/opportunities', { body: draft(60), headers });
    expect(again.status).toBe(429);
    expect(again.headers.get('idempotent-replayed')).toBeNull();
    const kept = await server.deps.db
      .selectFrom('idempotency_keys')
      .select('key')
      .where('key', '=', 'key-over-budget')
      .execute();
    expect(kept).toEqual([]);
  });

  it('closes a deal-room socket whose principal has spent its budget on the API', async () => {
    const dealId = await sharedDeal(world, 'Budgeted room');
    const token = await world.acme.memberToken('alliance');
    for (let n = 0; n < perMinute; n++)
      expect((await trpcPost(token, 'opportunities.create', draft(40 + n))).status).toBe(200);
    const room = joinRoom(server.url, dealId, token);
    try {
      await room.synced;
      fieldsMap(room.doc).set('nextStep', 'over budget');
      await eventually(() => expect(room.closes).toContain(closeCodes.rateLimited.code));
      const deal = await world.a.opportunities.get.query({ id: dealId });
      expect(deal.fields?.nextStep ?? null).not.toBe('over budget');
    } finally {
      room.stop();
    }
  });
});

describe('tRPC batches', () => {
  it(`carry at most ${maxBatchCalls} calls; a larger one is refused whole with 400`, async () => {
    const token = await world.acme.memberToken('viewer');
    const batch = (n: number) => {
      const paths = Array.from({ length: n }, () => 'companies.me').join(',');
      const input = encodeURIComponent(JSON.stringify({}));
      return fetch(`${server.url}/trpc/${paths}?batch=1&input=${input}`, {
        headers: { authorization: `Bearer ${token}` },
      });
    };
    expect((await batch(maxBatchCalls)).status).toBe(200);
    expect((await batch(maxBatchCalls + 1)).status).toBe(400);
    expect((await batch(200)).status).toBe(400);
  });

  it('are split by the typed client to fit, so many calls at once still succeed', async () => {
    const client = createTRPCUntypedClient<AppRouter>({
      links: [
        httpBatchLink({
          url: `${server.url}/trpc`,
          maxItems: maxBatchCalls,
          headers: { authorization: `Bearer ${await world.acme.memberToken('viewer')}` },
        }),
      ],
    });
    const answers = await Promise.all(
      Array.from({ length: 3 * maxBatchCalls }, () =>
        client.query('companies.me').catch((e: unknown) => e),
      ),
    );
    expect(answers.filter((a) => a instanceof TRPCClientError)).toEqual([]);
  });
});
