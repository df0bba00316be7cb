import { describe, expect, it } from 'vitest';
import { loadRun } from './load.ts';

describe('load (short run; `npm run faults` runs 500 clients for 60 s)', () => {
  it('serves 50 room clients and a REST push storm for 3 s with no errors, every edit delivered', async () => {
    const report = await loadRun({
      seconds: 3,
      clients: 50,
      rooms: 10,
      editEveryMs: 1000,
      restConnections: 4,
    });
    expect(report.wsErrors).toEqual({ connectFailed: 0, closed: 0, refused: 0, notReceived: 0 });
    expect(report.edits).toBeGreaterThan(0);
    expect(report.wsReceived).toBe(report.edits);
    expect(report.restNon2xx + report.restErrors).toBe(0);
    expect(report.restRequests).toBeGreaterThan(0);
  }, 120_000);
});
