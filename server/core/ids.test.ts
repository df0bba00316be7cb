import { describe, expect, it } from 'vitest';
import { newId } from './ids.ts';

describe('newId', () => {
  it('is prefixed, URL-safe and sorts in creation order, across milliseconds', async () => {
    const ids: string[] = [];
    for (let round = 0; round < 3; round++) {
      for (let i = 0; i < 50; i++) ids.push(newId('opp'));
      await new Promise((resolve) => setTimeout(resolve, 2));
    }
    for (const id of ids) expect(id).toMatch(/^opp_[0-9a-z]{9}[A-Za-z0-9_-]{16}$/);
    expect(new Set(ids).size).toBe(ids.length);
    // Within one millisecond the random tail decides; across milliseconds the time prefix does.
    const prefixes = ids.map((id) => id.slice(0, 13));
    expect([...prefixes].sort()).toEqual(prefixes);
    expect(new Set(prefixes).size).toBeGreaterThanOrEqual(3);
  });
});
