import { describe, expect, it } from 'vitest';
import { crashSafety } from './crash-safety.ts';

describe('crash safety (short run; `npm run faults` kills 20 times)', () => {
  it('keeps every acknowledged REST and room write across SIGKILLs, and the ledger verifies', async () => {
    const report = await crashSafety({
      kills: 3,
      minLifeMs: 400,
      maxLifeMs: 1200,
      restWriters: 4,
      rooms: 2,
      editsPerSecond: 20,
      seed: 11,
    });
    expect(report.restAcknowledged).toBeGreaterThan(0);
    expect(report.wsAcknowledged).toBeGreaterThan(0);
    expect(report.restLost).toEqual([]);
    expect(report.wsLost).toEqual([]);
    expect(report.ledgerVerify.ok, report.ledgerVerify.output).toBe(true);
  }, 180_000);
});
