import { describe, expect, it } from 'vitest';
import { retryDelayMs } from './backoff.ts';

const config = { retryBaseMs: 1000, retryMaxMs: 60_000 };

describe('retry backoff', () => {
  it('doubles per attempt, between half and all of the step', () => {
    expect(retryDelayMs(1, config, () => 0)).toBe(500);
    expect(retryDelayMs(1, config, () => 1)).toBe(1000);
    expect(retryDelayMs(3, config, () => 0)).toBe(2000);
    expect(retryDelayMs(3, config, () => 1)).toBe(4000);
  });

  it('stops growing at the maximum, even after very many attempts', () => {
    expect(retryDelayMs(10, config, () => 1)).toBe(60_000);
    expect(retryDelayMs(5000, config, () => 0)).toBe(30_000);
  });
});
