import type { JSONWebKeySet } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TandemClient } from '../client/sdk/tandem-client.ts';
import type { FeedEvent } from '../shared/opportunities/deal-view.schema.ts';
import { partnerPair } from './kit/fixtures.ts';
import { startTestServer, type TestServer } from './kit/harness.ts';
import { refusal } from './kit/refusal.ts';
import {
  eventually,
  startReceiver,
  verifyDelivery,
  type Receiver,
  type Received,
} from './kit/webhook-receiver.ts';

const fast = {
  TANDEM_WEBHOOKS_RETRY_BASE_MS: '40',
  TANDEM_WEBHOOKS_RETRY_MAX_MS: '200',
  TANDEM_WEBHOOKS_TIMEOUT_MS: '3000',
};

let server: TestServer;
let world: Awaited<ReturnType<typeof partnerPair>>;
const receivers: Receiver[] = [];

async function receiver(): Promise<Receiver> {
  const r = await startReceiver();
  receivers.push(r);
  return r;
}

/** Everything the company's change feed gives after `after`. */
async function feed(client: TandemClient, after?: string): Promise<FeedEvent[]> {
  const all: FeedEvent[] = [];
  for (let cursor = after; ;) {
    const page = await client.ledger.feed.query({
      ...(cursor ? { after: cursor } : {}),
      limit: 1000,
    });
    all.push(...(page.events as FeedEvent[]));
    if (page.events.length < 1000) return all;
    cursor = page.nextCursor;
  }
}

/** Where each event stands in `feed` (ids are opaque: the feed's order is the only order). */
function positionsIn(feed: FeedEvent[]): (id: string) => number {
  const at = new Map(feed.map((e, n) => [e.id, n]));
  return (id) => at.get(id) ?? Number.POSITIVE_INFINITY;
}

/** The events acknowledged, one per id, in the order `feed` gives them (strangers last). */
function acknowledgedEvents(r: Receiver, feed: FeedEvent[]): FeedEvent[] {
  const byId = new Map(r.acknowledged().map((d) => [d.body.id, d.body.event]));
  const position = positionsIn(feed);
  return [...byId.values()].sort((x, y) => position(x.id) - position(y.id));
}

/** Each deal's events arrived in their order: every first arrival of a deal's event is in feed order. */
function expectPerDealOrder(deliveries: Received[], feed: FeedEvent[]): void {
  const position = positionsIn(feed);
  const last = new Map<string, number>();
  const seen = new Set<string>();
  for (const d of deliveries) {
    if (seen.has(d.body.id)) continue;
    seen.add(d.body.id);
    const { dealId, id } = d.body.event;
    if (!dealId) continue;
    expect(position(id), `deal ${dealId}`).toBeLessThan(Number.POSITIVE_INFINITY);
    expect(position(id), `deal ${dealId}`).toBeGreaterThan(last.get(dealId) ?? -1);
    last.set(dealId, position(id));
  }
}

/** Deals shared between acme and globex, each changed a few times, interleaved. */
async function dealActivity(client: TandemClient, n: number, tag: string) {
  const ids: string[] = [];
  for (let i = 0; i < n; i++) {
    const deal = await client.opportunities.create.mutate({
      fields: {
        title: `${tag} ${i}`,
        customer: { name: `Customer ${tag} ${i}` },
        amountMinor: 1000,
        currency: 'EUR',
      },
      externalRef: `${tag}-${i}`,
      shareWith: [{ partner: 'globex', role: 'co_seller' }],
    });
    ids.push(deal.id);
  }
  await Promise.all(
    ids.map(async (id) => {
      for (const stage of ['qualified', 'technical_validation', 'business_validation'] as const)
        await client.opportunities.update.mutate({ id, patch: { stage } });
    }),
  );
  return ids;
}

beforeAll(async () => {
  server = await startTestServer({ env: fast });
  world = await partnerPair(server);
});
afterAll(async () => {
  await server.stop();
  await Promise.all(receivers.map((r) => r.close()));
});

describe('webhook deliveries', () => {
  it('arrive signed with the published deployment key, in per-deal order, exactly as the feed', async () => {
    const r = await receiver();
    const endpoint = await world.a.webhooks.create.mutate({ url: r.url });
    expect(endpoint).toMatchObject({ status: 'active', eventTypes: ['*'], pending: 0 });
    await dealActivity(world.a, 4, 'signed');
    const expected = await feed(world.a, endpoint.cursor);
    expect(expected.length).toBeGreaterThan(12);
    await eventually(() => acknowledgedEvents(r, expected).length >= expected.length);

    expect(acknowledgedEvents(r, expected)).toEqual(expected);
    expect(r.received.every((d) => d.status === 200)).toBe(true);
    expectPerDealOrder(r.received, expected);
    const jwks = (await (
      await fetch(`${server.url}/.well-known/jwks.json`)
    ).json()) as JSONWebKeySet;
    for (const d of r.received) await verifyDelivery(jwks, d);
    const first = r.received[0]!;
    expect(first.body).toMatchObject({
      id: `evt_${first.body.cursor}`,
      endpointId: endpoint.id,
      companyId: world.acme.id,
      attempt: 1,
    });
    expect(first.headers['tandem-event-id']).toBe(first.body.id);
    expect(first.headers['tandem-event-type']).toBe(first.body.type);
    // A body changed in transit fails verification.
    await expect(
      verifyDelivery(jwks, { ...first, text: first.text.replace('"attempt":1', '"attempt":2') }),
    ).rejects.toThrow();

    const log = await world.a.webhooks.deliveries.query({ id: endpoint.id, limit: 500 });
    expect(log.deliveries).toHaveLength(expected.length);
    expect(log.deliveries.every((d) => d.status === 'delivered' && d.attempts === 1)).toBe(true);
    expect(log.deliveries[0]).toMatchObject({ lastStatusCode: 200, lastError: null });
    expect(typeof log.deliveries[0]!.latencyMs).toBe('number');
    await world.a.webhooks.remove.mutate({ id: endpoint.id });
  });

  it('gives a receiver that was down everything the feed has, duplicates only as retries of an event id', async () => {
    const r = await receiver();
    r.state.failing = true;
    const endpoint = await world.b.webhooks.create.mutate({ url: r.url });
    await dealActivity(world.a, 3, 'outage');
    await eventually(() => r.received.length >= 6);
    const during = await world.b.webhooks.deliveries.query({ id: endpoint.id });
    expect(
      during.deliveries.some((d) => d.attempts >= 1 && d.lastError?.startsWith('HTTP 503')),
    ).toBe(true);
    expect(r.acknowledged()).toHaveLength(0);
    await new Promise((res) => setTimeout(res, 300));
    r.state.failing = false;

    const expected = await feed(world.b, endpoint.cursor);
    await eventually(() => acknowledgedEvents(r, expected).length >= expected.length);
    expect(acknowledgedEvents(r, expected)).toEqual(expected);
    // Each id acknowledged once; every other copy of it was a failed try before.
    const acks = new Map<string, number>();
    for (const d of r.acknowledged()) acks.set(d.body.id, (acks.get(d.body.id) ?? 0) + 1);
    expect([...acks.values()].every((n) => n === 1)).toBe(true);
    for (const d of r.received.filter((x) => x.status !== 200))
      expect(acks.has(d.body.id)).toBe(true);
    expect(r.received.length).toBeGreaterThan(expected.length);
    expectPerDealOrder(r.received, expected);
    // globex never gets acme's private CRM id events.
    expect(
      r.received.some(
        (d) =>
          d.body.type === 'opportunity.ref_set' && d.body.event.actor.companyId === world.acme.id,
      ),
    ).toBe(false);
    // The worker records an attempt after the receiver's answer: the last may still be landing.
    const log = () => world.b.webhooks.deliveries.query({ id: endpoint.id, limit: 500 });
    await eventually(async () => (await log()).deliveries.every((d) => d.status === 'delivered'));
    const after = await log();
    expect(after.deliveries.some((d) => d.attempts > 1)).toBe(true);
    await world.b.webhooks.remove.mutate({ id: endpoint.id });
  });

  it('never sends a third company the events of a deal between two others', async () => {
    const charlie = await server.company('charlie');
    const c = server.client(await charlie.memberToken('alliance'));
    const p = await world.a.partnerships.invite.mutate({
      partner: 'charlie',
      partnerType: 'referral',
    });
    await c.partnerships.accept.mutate({ partnershipId: p.id });
    const rc = await receiver();
    const rb = await receiver();
    const cEndpoint = await c.webhooks.create.mutate({ url: rc.url });
    await world.b.webhooks.create.mutate({ url: rb.url });
    const abDeals = await dealActivity(world.a, 2, 'ab-only');
    const acDeal = await world.a.opportunities.create.mutate({
      fields: {
        title: 'A with C',
        customer: { name: 'Umbrella' },
        amountMinor: 500,
        currency: 'EUR',
      },
      shareWith: [{ partner: 'charlie', role: 'co_seller' }],
    });
    // While invited, charlie's feed holds only the invitation: the worker moves charlie's cursor
    // past the deal's earlier events, so they are not sent after the accept either (as for a
    // client that pulled the feed then). Accepting first would let the worker see them.
    await eventually(() => rc.received.some((d) => d.body.event.type === 'participant.invited'));
    await c.opportunities.accept.mutate({ id: acDeal.id });
    await world.a.opportunities.update.mutate({ id: acDeal.id, patch: { stage: 'qualified' } });
    const all = await feed(c, cEndpoint.cursor);
    const invited = all.find((e) => e.type === 'participant.invited')!;
    const expected = all.slice(all.indexOf(invited));
    await eventually(() => acknowledgedEvents(rc, expected).length >= expected.length);
    const bWants = (await feed(world.b)).filter((e) => abDeals.includes(e.dealId!));
    await eventually(() => acknowledgedEvents(rb, bWants).length >= bWants.length);
    await new Promise((res) => setTimeout(res, 200));

    expect(acknowledgedEvents(rc, expected)).toEqual(expected);
    expect(rc.received.every((d) => d.body.event.dealId === acDeal.id)).toBe(true);
    expect(JSON.stringify(rc.received.map((d) => d.body))).not.toContain(abDeals[0]);
  });

  it('keeps a slow receiver from delaying another endpoint', async () => {
    const slow = await receiver();
    slow.state.delayMs = 2500;
    const quick = await receiver();
    await world.a.webhooks.create.mutate({ url: slow.url });
    await world.a.webhooks.create.mutate({ url: quick.url });
    const start = performance.now();
    await dealActivity(world.a, 3, 'slowpoke');
    await eventually(
      () => quick.acknowledged().filter((d) => d.body.event.type !== '').length >= 12,
      5000,
    );
    const quickDone = performance.now() - start;
    expect(quickDone).toBeLessThan(2500);
    expect(slow.acknowledged().length).toBeLessThan(4);
  });

  it('sends only the chosen event types, and replays from a cursor with the original ids', async () => {
    const r = await receiver();
    const endpoint = await world.a.webhooks.create.mutate({
      url: r.url,
      eventTypes: ['participant.*', 'opportunity.created'],
    });
    await dealActivity(world.a, 2, 'typed');
    const wanted = (await feed(world.a, endpoint.cursor)).filter(
      (e) => e.type.startsWith('participant.') || e.type === 'opportunity.created',
    );
    expect(wanted.length).toBeGreaterThanOrEqual(4);
    await eventually(() => acknowledgedEvents(r, wanted).length >= wanted.length);
    expect(acknowledgedEvents(r, wanted)).toEqual(wanted);

    const before = r.received.length;
    await world.a.webhooks.replay.mutate({ id: endpoint.id, after: endpoint.cursor });
    await eventually(() => r.received.length >= before + wanted.length);
    const replayed = r.received.slice(before);
    expect(replayed.map((d) => d.body.id).sort()).toEqual(wanted.map((e) => e.id).sort());
    expect(replayed.every((d) => d.body.attempt === 2)).toBe(true);
    // A cursor is the company's own: a made-up one, or globex's, names nothing here.
    const globexCursor = (await world.b.ledger.feed.query({ limit: 1 })).nextCursor;
    for (const after of ['10000000', 'AAAAAAAAAAAAAAAAAAAAAA', globexCursor]) {
      const refused = await refusal(world.a.webhooks.replay.mutate({ id: endpoint.id, after }));
      expect(refused.data).toMatchObject({ code: 'ValidationFailed', issues: [{ path: 'after' }] });
    }
  });

  it('holds events while paused and sends them on resume', async () => {
    const r = await receiver();
    const endpoint = await world.a.webhooks.create.mutate({ url: r.url, status: 'paused' });
    await dealActivity(world.a, 1, 'paused');
    await new Promise((res) => setTimeout(res, 300));
    expect(r.received).toHaveLength(0);
    const resumed = await world.a.webhooks.update.mutate({ id: endpoint.id, status: 'active' });
    expect(resumed.status).toBe('active');
    const expected = await feed(world.a, endpoint.cursor);
    await eventually(() => acknowledgedEvents(r, expected).length >= expected.length);
    expect(acknowledgedEvents(r, expected)).toEqual(expected);
  });

  it('lets only members who may manage webhooks and read deals register one', async () => {
    const viewer = server.client(await world.acme.memberToken('viewer'));
    expect((await refusal(viewer.webhooks.list.query())).data?.code).toBe('Forbidden');
    const seller = server.client(await world.acme.memberToken('seller'));
    expect(
      (await refusal(seller.webhooks.create.mutate({ url: 'http://127.0.0.1:1/x' }))).data?.code,
    ).toBe('Forbidden');
    const bad = await refusal(world.a.webhooks.create.mutate({ url: 'ftp://example.com/x' }));
    expect(bad.data?.code).toBe('ValidationFailed');
    const pattern = await refusal(
      world.a.webhooks.create.mutate({ url: 'http://127.0.0.1:1/x', eventTypes: ['opp*'] }),
    );
    expect(pattern.data?.code).toBe('ValidationFailed');
  });
});
