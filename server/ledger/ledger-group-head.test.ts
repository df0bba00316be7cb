import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../test/kit/harness.ts';
import { writeDeals } from '../opportunities/deal-writer.ts';
import { verifyLedger } from './ledger-verify.ts';

// Writes queued together share one transaction and carry the log's head from one to the next
// (WriteHooks.group). A write that appended and was then rolled back must not leave its head
// behind: the next write would chain onto an event that was never stored.
let server: TestServer;
let dealId: string;
let companyId: string;

beforeAll(async () => {
  server = await startTestServer();
  const acme = await server.company('acme');
  companyId = acme.id;
  const api = server.client(await acme.memberToken('alliance'));
  const deal = await api.opportunities.create.mutate({
    fields: { title: 'Chain', customer: { name: 'Chain Co' }, amountMinor: 1, currency: 'EUR' },
  });
  dealId = deal.id;
});
afterAll(() => server.stop());

describe('the log head a group of writes carries', () => {
  it('is put back when a write that appended is rolled back, so the chain stays whole', async () => {
    const actor = { companyId, kind: 'system' as const, id: 'test' };
    const write = (ref: string, fail: boolean) =>
      writeDeals(server.deps, actor, async (w) => {
        const event = await w.emit(dealId, {
          type: 'opportunity.ref_set',
          data: { externalRef: ref },
        });
        if (fail) throw new Error(`refused ${ref}`);
        return event.seq;
      });
    // Queued in one turn of the loop: one group, the middle write appending and then failing.
    const results = await Promise.allSettled(
      ['G-1', 'G-2', 'G-3', 'G-4', 'G-5'].map((ref, i) => write(ref, i % 2 === 1)),
    );
    expect(results.map((r) => r.status)).toEqual([
      'fulfilled',
      'rejected',
      'fulfilled',
      'rejected',
      'fulfilled',
    ]);
    const seqs = results.flatMap((r) => (r.status === 'fulfilled' ? [r.value as number] : []));
    expect(seqs[1]).toBe(seqs[0]! + 1);
    expect(seqs[2]).toBe(seqs[1]! + 1);
    expect(await verifyLedger(server.deps.db)).toMatchObject({ ok: true });
    // And a write in a later group chains onto the last stored event.
    expect(await write('G-6', false)).toBe(seqs[2]! + 1);
    expect(await verifyLedger(server.deps.db)).toMatchObject({ ok: true });
  });
});
