import { describe, expect, it } from 'vitest';
import { MemoryIdempotencyClaims } from './memory-idempotency-claims.ts';

describe('MemoryIdempotencyClaims', () => {
  it('lets one request at a time hold a principal’s key in this process', async () => {
    const claims = new MemoryIdempotencyClaims();
    const claim = (companyId: string, principalId: string) =>
      claims.claim({ companyId, principalId, key: 'k-claim' });
    const release = await claim('co_a', 'mem_1');
    await expect(claim('co_a', 'mem_1')).rejects.toThrow(/still being processed/);
    await (
      await claim('co_b', 'mem_1')
    )();
    await (
      await claim('co_a', 'mem_2')
    )();
    await release();
    await (
      await claim('co_a', 'mem_1')
    )();
  });
});
