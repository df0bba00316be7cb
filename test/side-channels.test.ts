import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TandemClient } from '../client/sdk/tandem-client.ts';
import { partnerPair, type PartnerPair } from './kit/fixtures.ts';
import { startTestServer, type TestServer } from './kit/harness.ts';
import { restApi, type RestErrorBody } from './kit/rest-api.ts';
import { refusal } from './kit/refusal.ts';

// Issue 26, side channels: the ledger's positions are global, so any number derived from them
// would let a company count every other company's writes between two of its own. Charlie shares
// nothing with acme or globex; acme writes thousands of events around charlie's few.
let server: TestServer;
let world: PartnerPair;
let charlie: TandemClient;
let charlieToken: string;
let charlieId: string;

const deal = (n: number) => ({
  title: `Busy ${n}`,
  customer: { name: `Customer ${n}` },
  amountMinor: 7,
  currency: 'EUR',
});

beforeAll(async () => {
  server = await startTestServer();
  world = await partnerPair(server);
  const c = await server.company('charlie');
  charlieId = c.id;
  charlieToken = await c.memberToken('admin');
  charlie = server.client(charlieToken);
  // Past every number a timestamp holds (2026, 12, 59…), so a match below is a position.
  const items = Array.from({ length: 1000 }, (_, n) => ({
    externalRef: `b-${n}`,
    fields: deal(n),
  }));
  await world.a.opportunities.batchUpsert.mutate({ items });
  await world.a.opportunities.batchUpsert.mutate({
    items: items.map((i) => ({ ...i, externalRef: `c-${i.externalRef}` })),
  });
});
afterAll(() => server.stop());

describe('what a company sees of the ledger', () => {
  it('holds no global position of its events: not in the feed, a deal’s history or its webhooks', async () => {
    const own = await charlie.opportunities.create.mutate({ fields: deal(-1) });
    await world.a.opportunities.batchUpsert.mutate({
      items: [{ externalRef: 'between', fields: deal(-2) }],
    });
    await charlie.opportunities.update.mutate({ id: own.id, patch: { stage: 'qualified' } });
    const endpoint = await charlie.webhooks.create.mutate({ url: 'https://hooks.example/in' });

    const seqs = (
      await server.deps.db
        .selectFrom('ledger_events')
        .select('seq')
        .where('actor_company_id', '=', charlieId)
        .execute()
    ).map((r) => r.seq);
    expect(Math.min(...seqs)).toBeGreaterThan(4000);

    const rest = restApi(server.url, charlieToken);
    const seen = JSON.stringify([
      await charlie.ledger.feed.query({ limit: 1000 }),
      (await rest('GET', '/changes?limit=1000')).body,
      await charlie.opportunities.get.query({ id: own.id }),
      await charlie.webhooks.list.query(),
      endpoint,
      await charlie.webhooks.deliveries.query({ id: endpoint.id }),
    ]);
    const numbers = new Set(seen.match(/\d+/g)?.map(Number));
    expect(seqs.filter((seq) => numbers.has(seq))).toEqual([]);
    expect(seqs.filter((seq) => numbers.has(seq - 1) || numbers.has(seq + 1))).toEqual([]);
  });

  it('takes back only its own cursors: a number, a mangled cursor or another company’s is refused', async () => {
    const theirs = (await world.b.ledger.feed.query({ limit: 1 })).nextCursor;
    const mine = (await charlie.ledger.feed.query({ limit: 1 })).nextCursor;
    await expect(charlie.ledger.feed.query({ after: mine })).resolves.toBeDefined();
    for (const after of ['0', '4000', theirs, `${mine.slice(0, -2)}AA`]) {
      const refused = await refusal(charlie.ledger.feed.query({ after }));
      expect(refused.data).toMatchObject({ code: 'ValidationFailed', issues: [{ path: 'after' }] });
    }
    const rest = await restApi(server.url, charlieToken)<RestErrorBody>(
      'GET',
      `/changes?after=${theirs}`,
    );
    expect(rest.status).toBe(400);
    expect(rest.body.error.issues).toEqual([expect.objectContaining({ path: 'after' })]);
  });

  it('offers no company the size of the whole log', async () => {
    const res = await fetch(`${server.url}/trpc/ledger.checkpoint`, {
      method: 'POST',
      headers: { authorization: `Bearer ${charlieToken}`, 'content-type': 'application/json' },
      body: '{}',
    });
    expect(res.status).toBe(404);
  });
});
