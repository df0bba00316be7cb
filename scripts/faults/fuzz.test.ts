import { describe, expect, it } from 'vitest';
import { fuzzApi } from './fuzz-api.ts';
import { fuzzSync } from './fuzz-sync.ts';

describe('fuzzing (short runs; `npm run faults` runs more)', () => {
  it('answers random input to every tRPC procedure and REST route with no 5xx, a 400 naming its fields', async () => {
    const report = await fuzzApi({ numRuns: 8, seed: 11 });
    expect(report.procedures).toBeGreaterThan(40);
    expect(report.routes).toBeGreaterThan(10);
    expect(report.failures).toEqual([]);
  }, 120_000);

  it('survives random and malformed y-protocols frames: sender closed or refused, room and document intact', async () => {
    const report = await fuzzSync({ numRuns: 40, seed: 11 });
    expect(report.frames).toBe(40);
    expect(report.failures).toEqual([]);
  }, 120_000);
});
