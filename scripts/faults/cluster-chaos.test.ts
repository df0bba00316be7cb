import { describe, expect, it } from 'vitest';
import { clusterChaos } from './cluster-chaos.ts';

/**
 * The short version of `npm run faults -- cluster`: three instances (processes) behind the cluster
 * proxy, REST writes and room edits from two companies, a random instance SIGKILLed three times.
 * PostgreSQL by nature (several instances share one database): the run's test server, whichever
 * project runs it.
 */
describe('three instances, killed under load', () => {
  it('lose no acknowledged write, converge every room and lose no webhook event', async () => {
    const r = await clusterChaos({
      postgresUrl: process.env.TANDEM_TEST_POSTGRES_URL!,
      instances: 3,
      kills: 3,
      downMs: 500,
      betweenMs: [1500, 2500],
      rooms: 2,
      restWritersPerCompany: 1,
      editEveryMs: 300,
      seed: 7,
    });
    expect(r.kills).toBe(3);
    expect(r.restAcknowledged).toBeGreaterThan(0);
    expect(r.restLost).toEqual([]);
    expect(r.roomAckedLost).toEqual([]);
    expect(r.roomEditsMissing).toBe(0);
    expect(r.roomsConverged).toBe(2);
    expect(r.roomsServedAlike).toBe(2);
    expect(r.webhookLost).toBe(0);
    expect(r.ledgerVerify.ok).toBe(true);
  }, 180_000);
});
