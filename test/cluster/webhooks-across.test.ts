import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TandemClient } from '../../client/sdk/tandem-client.ts';
import { LeaseLost } from '../../server/cluster/leases.ts';
import { PgLeases } from '../../server/cluster/pg-leases.ts';
import { startCluster } from '../kit/cluster.ts';
import { partnerPair, type PartnerPair } from '../kit/fixtures.ts';
import type { TestServer } from '../kit/harness.ts';
import { sleep } from '../kit/sleep.ts';
import { eventually, startReceiver, type Receiver } from '../kit/webhook-receiver.ts';

const env = {
  TANDEM_LEASE_MS: '600',
  TANDEM_WEBHOOKS_RETRY_BASE_MS: '40',
  TANDEM_WEBHOOKS_RETRY_MAX_MS: '200',
};

describe('webhook delivery runs once per cluster', () => {
  let cluster: Awaited<ReturnType<typeof startCluster>>;
  let world: PartnerPair;
  let receiver: Receiver;
  let tokenA: string;
  const instances = () => cluster.instances;
  /** acme's client on instance i (the instances change port when restarted). */
  const on = (i: number): TandemClient => instances()[i]!.client(tokenA);
  /** The delivery lease, read through instance `via` (one that is up). */
  const holder = async (via = 0): Promise<{ holder: string; epoch: number } | undefined> => {
    const { rows } = await sql<{ holder: string; epoch: number }>`
      select holder, epoch from cluster_leases where name = 'webhooks'`.execute(
      instances()[via]!.deps.db,
    );
    return rows[0];
  };
  const holding = async (): Promise<TestServer | undefined> => {
    const lease = await holder();
    return instances().find((s) => s.instanceId === lease?.holder);
  };
  const createDeal = (client: TandemClient, title: string) =>
    client.opportunities.create.mutate({
      fields: { title, customer: { name: title }, amountMinor: 100, currency: 'EUR' },
      shareWith: [{ partner: 'globex', role: 'co_seller' }],
    });
  const deliveredTitles = () =>
    new Set(
      receiver
        .acknowledged()
        .filter((d) => d.body.type === 'opportunity.created')
        .map((d) => (d.body.event.data as { fields: { title: string } }).fields.title),
    );

  beforeAll(async () => {
    cluster = await startCluster(2, { env });
    world = await partnerPair(instances()[0]!);
    tokenA = await world.acme.memberToken('alliance');
    receiver = await startReceiver();
    await world.a.webhooks.create.mutate({ url: receiver.url, eventTypes: ['opportunity.*'] });
  });
  afterAll(async () => {
    await cluster?.stop();
    await receiver?.close();
  });

  it('sends each event once, whichever instance took the write', async () => {
    for (let n = 0; n < 6; n++) await createDeal(on(n % 2), `once ${n}`);
    await eventually(() => deliveredTitles().size === 6, 5000);
    await sleep(300);
    const ids = receiver.received.map((d) => d.body.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(await holding()).toBeDefined();
  });

  it('moves delivery to another instance when the holder stops', async () => {
    const before = await holding();
    const i = instances().indexOf(before!);
    const other = 1 - i;
    await instances()[i]!.stop();
    await createDeal(on(other), 'after the stop');
    await eventually(() => deliveredTitles().has('after the stop'), 3000);
    expect((await holder(other))?.holder).toBe(instances()[other]!.instanceId);
    await cluster.restart(i);
  });

  it('stops a holder that lost its lease: nothing is sent until the lease is taken again', async () => {
    const lease = await holder();
    const db = instances()[0]!.deps.db;
    await sql`update cluster_leases set holder = 'elsewhere', epoch = epoch + 1,
      expires_at = clock_timestamp() + interval '1 hour' where name = 'webhooks'`.execute(db);
    await sleep(400);
    await createDeal(on(0), 'while fenced');
    await sleep(800);
    expect(deliveredTitles().has('while fenced')).toBe(false);
    await sql`update cluster_leases set expires_at = clock_timestamp() - interval '1 second'
      where name = 'webhooks'`.execute(db);
    await eventually(() => deliveredTitles().has('while fenced'), 3000);
    expect((await holder())!.epoch).toBeGreaterThan(lease!.epoch + 1);
  });

  it('refuses a write fenced by a stale epoch', async () => {
    const server = instances()[0]!;
    const stale = new PgLeases(server.deps.db, 'not-the-holder');
    await expect(
      server.deps.writes.run((trx) => stale.fence(trx, 'webhooks', 1)),
    ).rejects.toBeInstanceOf(LeaseLost);
  });
});
