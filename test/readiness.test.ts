import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrateDown, migrateToLatest } from '../schema/migrator.ts';
import { closeCodes } from '../shared/sync/close-codes.ts';
import { partnerPair, sharedDeal, type PartnerPair } from './kit/fixtures.ts';
import { startTestServer, type TestServer } from './kit/harness.ts';
import { eventually, joinRoom } from './kit/sync-client.ts';

async function readyz(server: TestServer) {
  const res = await fetch(`${server.url}/readyz`);
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

describe('readiness for load balancers', () => {
  let server: TestServer;
  let world: PartnerPair;
  beforeAll(async () => {
    // Long enough for the test to probe while the shutdown holds the door open.
    server = await startTestServer({ env: { TANDEM_DRAIN_DELAY_MS: '600' } });
    world = await partnerPair(server);
  });
  afterAll(() => server.stop());

  it('answers ready while the database answers and the schema is current', async () => {
    expect(await readyz(server)).toEqual({ status: 200, body: { ready: true } });
  });

  it('says a migration is missing when the schema moved back under it', async () => {
    const [undone] = await migrateDown(server.deps.db);
    try {
      expect(await readyz(server)).toEqual({
        status: 503,
        body: { ready: false, failed: 'migrations', detail: `pending: ${undone}` },
      });
    } finally {
      await migrateToLatest(server.deps.db);
    }
    expect((await readyz(server)).status).toBe(200);
  });

  it('goes not-ready at close and sends deal-room clients off with a code they reconnect on', async () => {
    const dealId = await sharedDeal(world, 'Draining');
    const alice = joinRoom(server.url, dealId, await world.acme.memberToken('alliance'));
    await alice.synced;
    try {
      const closed = server.close(1000);
      expect(await readyz(server)).toEqual({
        status: 503,
        body: { ready: false, failed: 'draining', detail: 'shutting down' },
      });
      // /healthz still says alive: draining is not dead.
      expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
      await eventually(() => expect(alice.closes).toEqual([closeCodes.goingAway.code]));
      // The stock client stops for good only on 4400–4499; this one is trying again.
      expect(alice.provider.shouldConnect).toBe(true);
      await closed;
    } finally {
      alice.stop();
    }
  });
});
