import fs from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import type { FeedEvent } from '../shared/opportunities/deal-view.schema.ts';
import { startTestServer, tempDataDir, type TestServer } from './kit/harness.ts';
import { eventually, startReceiver, type Receiver } from './kit/webhook-receiver.ts';

const cleanup: (() => Promise<void> | void)[] = [];
afterAll(async () => {
  for (const fn of cleanup.reverse()) await fn();
});

async function receiver(): Promise<Receiver> {
  const r = await startReceiver();
  cleanup.push(() => r.close());
  return r;
}

/** acme and globex as partners, with tokens that outlive one server process on the same data. */
async function partners(server: TestServer) {
  const acme = await server.company('acme');
  const globex = await server.company('globex');
  const tokens = { a: await acme.memberToken('alliance'), b: await globex.memberToken('alliance') };
  const p = await server
    .client(tokens.a)
    .partnerships.invite.mutate({ partner: 'globex', partnerType: 'reseller' });
  await server.client(tokens.b).partnerships.accept.mutate({ partnershipId: p.id });
  return tokens;
}

async function changes(server: TestServer, token: string, n: number) {
  const client = server.client(token);
  for (let i = 0; i < n; i++) {
    const deal = await client.opportunities.create.mutate({
      fields: {
        title: `Deal ${i}`,
        customer: { name: `C${i}` },
        amountMinor: 100,
        currency: 'EUR',
      },
      shareWith: [{ partner: 'globex', role: 'co_seller' }],
    });
    await client.opportunities.update.mutate({ id: deal.id, patch: { stage: 'qualified' } });
  }
}

function ackedIds(r: Receiver): string[] {
  return [...new Set(r.acknowledged().map((d) => d.body.id))].sort();
}

describe('webhook durability', () => {
  it('loses no delivery when the server restarts while retrying', async () => {
    const dataDir = tempDataDir();
    cleanup.push(() => fs.rmSync(dataDir, { recursive: true, force: true }));
    const env = { TANDEM_WEBHOOKS_RETRY_BASE_MS: '100', TANDEM_WEBHOOKS_RETRY_MAX_MS: '300' };
    const first = await startTestServer({ dataDir, env });
    const tokens = await partners(first);
    const r = await receiver();
    r.state.failing = true;
    const endpoint = await first.client(tokens.a).webhooks.create.mutate({ url: r.url });
    await changes(first, tokens.a, 3);
    const expected = (
      await first.client(tokens.a).ledger.feed.query({ after: endpoint.cursor, limit: 1000 })
    ).events as FeedEvent[];
    await eventually(async () => {
      const log = await first.client(tokens.a).webhooks.deliveries.query({ id: endpoint.id });
      // Retrying: every event queued, and each deal's first one tried more than once.
      return log.deliveries.length === expected.length && r.received.length >= 6;
    });
    await first.stop();
    expect(r.acknowledged()).toHaveLength(0);

    r.state.failing = false;
    const second = await startTestServer({ dataDir, env });
    cleanup.push(() => second.stop());
    await eventually(() => ackedIds(r).length >= expected.length);
    expect(ackedIds(r)).toEqual(expected.map((e) => e.id).sort());
    // The worker records an attempt after the receiver's answer: the last may still be landing.
    const deliveries = () => second.client(tokens.a).webhooks.deliveries.query({ id: endpoint.id });
    await eventually(async () =>
      (await deliveries()).deliveries.every((d) => d.status === 'delivered'),
    );
    const log = await deliveries();
    expect(log.deliveries.filter((d) => d.attempts >= 2).length).toBeGreaterThanOrEqual(3);
  });

  it('marks an endpoint failing with the reason after the retry window, and resuming sends what it held', async () => {
    const server = await startTestServer({
      env: {
        TANDEM_WEBHOOKS_RETRY_BASE_MS: '30',
        TANDEM_WEBHOOKS_RETRY_MAX_MS: '60',
        TANDEM_WEBHOOKS_RETRY_WINDOW_MS: '1000',
      },
    });
    cleanup.push(() => server.stop());
    const tokens = await partners(server);
    const a = server.client(tokens.a);
    const r = await receiver();
    r.state.failing = true;
    const endpoint = await a.webhooks.create.mutate({ url: r.url });
    await changes(server, tokens.a, 1);
    await eventually(async () => (await a.webhooks.list.query())[0]?.status === 'failing');
    const failing = (await a.webhooks.list.query())[0]!;
    expect(failing.failureReason).toMatch(
      /^gave up on event evt_[\w-]+ .* HTTP 503: down for maintenance$/,
    );
    const log = await a.webhooks.deliveries.query({ id: endpoint.id, status: 'failed' });
    expect(log.deliveries.length).toBeGreaterThan(0);
    expect(log.deliveries[0]!.attempts).toBeGreaterThan(1);
    const tries = r.received.length;
    await new Promise((res) => setTimeout(res, 200));
    expect(r.received.length).toBe(tries);

    r.state.failing = false;
    const resumed = await a.webhooks.update.mutate({ id: endpoint.id, status: 'active' });
    expect(resumed).toMatchObject({ status: 'active', failureReason: null });
    const expected = (await a.ledger.feed.query({ after: endpoint.cursor, limit: 1000 })).events;
    await eventually(() => ackedIds(r).length >= expected.length);
    expect(ackedIds(r)).toEqual(expected.map((e) => e.id).sort());
  });
});
