import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TandemClient } from '../client/sdk/tandem-client.ts';
import { startTestServer, type TestServer } from './kit/harness.ts';

// A batch looks up its new deals' twins once for all of them (opportunity.service's batchTwins):
// it must flag exactly what the same upserts one by one flag.
let server: TestServer;
let oneByOne: TandemClient;
let batched: TandemClient;

beforeAll(async () => {
  server = await startTestServer();
  oneByOne = server.client(await (await server.company('solo')).memberToken('seller'));
  batched = server.client(await (await server.company('bulk')).memberToken('seller'));
});
afterAll(() => server.stop());

const deal = (
  title: string,
  domain: string,
  stage: 'qualified' | 'won' | 'lost' = 'qualified',
) => ({
  title,
  customer: { name: domain, domain },
  amountMinor: 1_000,
  currency: 'EUR',
  stage,
  ...(stage === 'won' || stage === 'lost' ? { closeDate: '2026-11-30' } : {}),
  ...(stage === 'lost' ? { lostReason: 'delay_or_cancellation' as const } : {}),
});

/** Each ref's flagged twins, as refs, as `client` sees them. */
async function twinsByRef(client: TandemClient, refs: Map<string, string>) {
  const refOf = new Map([...refs].map(([ref, id]) => [id, ref]));
  const out: Record<string, string[]> = {};
  for (const [ref, id] of refs) {
    const view = await client.opportunities.get.query({ id });
    out[ref] = view.possibleDuplicates
      .map(({ deal }) => (deal ? (refOf.get(deal.id) ?? deal.id) : '(not shared)'))
      .sort();
  }
  return out;
}

describe('batch upserts', () => {
  it('flag the same twins as the same upserts one by one: in the batch, before it, and after an update in it', async () => {
    const before = [
      { externalRef: 'old-1', fields: deal('Data platform', 'north.example') },
      { externalRef: 'old-2', fields: deal('Closed one', 'south.example', 'won') },
    ];
    const batch = [
      { externalRef: 'n-1', fields: deal('DATA platform', 'north.example') },
      { externalRef: 'n-2', fields: deal('Closed one', 'south.example') },
      { externalRef: 'n-3', fields: deal('Rollout', 'east.example') },
      { externalRef: 'n-4', fields: deal('rollout', 'east.example') },
      { externalRef: 'n-5', fields: deal('Rollout', 'east.example', 'lost') },
      { externalRef: 'n-6', fields: deal('Rollout', 'east.example') },
      // An update in the batch: old-1 now matches n-8, and no longer n-7.
      { externalRef: 'old-1', fields: deal('Renamed', 'north.example') },
      { externalRef: 'n-7', fields: deal('Data platform', 'north.example') },
      { externalRef: 'n-8', fields: deal('renamed', 'north.example') },
    ];
    const solo = new Map<string, string>();
    const bulk = new Map<string, string>();
    for (const item of before) {
      solo.set(item.externalRef, (await oneByOne.opportunities.upsert.mutate(item)).id);
      bulk.set(item.externalRef, (await batched.opportunities.upsert.mutate(item)).id);
    }
    for (const item of batch)
      solo.set(item.externalRef, (await oneByOne.opportunities.upsert.mutate(item)).id);
    const { results } = await batched.opportunities.batchUpsert.mutate({ items: batch });
    for (const r of results) bulk.set(r.externalRef, r.id);

    const expected = await twinsByRef(oneByOne, solo);
    expect(await twinsByRef(batched, bulk)).toEqual(expected);
    // The world has twins of every kind the batch meets, so the comparison means something.
    expect(expected).toEqual({
      'old-1': ['n-1', 'n-8'],
      'old-2': [],
      'n-1': ['n-7', 'old-1'],
      'n-2': [],
      'n-3': ['n-4', 'n-5', 'n-6'],
      'n-4': ['n-3', 'n-5', 'n-6'],
      'n-5': ['n-3', 'n-4'],
      'n-6': ['n-3', 'n-4'],
      'n-7': ['n-1'],
      'n-8': ['old-1'],
    });
  });
});
