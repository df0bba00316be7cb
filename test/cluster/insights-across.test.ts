import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCluster } from '../kit/cluster.ts';
import { partnerPair, sharedDeal, type PartnerPair } from '../kit/fixtures.ts';
import type { TestServer } from '../kit/harness.ts';

/** A company's insights, as instance `server` holds them (building or reading them as needed). */
const insightsOn = (server: TestServer, companyId: string) =>
  server.deps.insights.get(server.deps, { companyId });

describe('Ideal Partner builds shared by the instances', () => {
  let cluster: Awaited<ReturnType<typeof startCluster>>;
  let world: PartnerPair;
  const a = () => cluster.instances[0]!;
  const b = () => cluster.instances[1]!;

  beforeAll(async () => {
    cluster = await startCluster(2);
    world = await partnerPair(a());
    for (let n = 0; n < 3; n++) await sharedDeal(world, `history ${n}`);
  });
  afterAll(() => cluster?.stop());

  it('builds a company once: the other instance reads the stored build', async () => {
    const onA = await insightsOn(a(), world.acme.id);
    const onB = await insightsOn(b(), world.acme.id);
    expect(onB.builtAt.getTime()).toBe(onA.builtAt.getTime());
    expect(onB.head).toBe(onA.head);
    // The stored build keeps what the ranking reads: Maps and all.
    expect([...onB.stats.partners.keys()]).toEqual([...onA.stats.partners.keys()]);
    expect(onB.model).toEqual(onA.model);
  });

  it('builds once when both instances ask at the same moment', async () => {
    const [onA, onB] = await Promise.all([
      insightsOn(a(), world.globex.id),
      insightsOn(b(), world.globex.id),
    ]);
    expect(onB.builtAt.getTime()).toBe(onA.builtAt.getTime());
  });
});
