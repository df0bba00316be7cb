import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedSealedRecords } from '../../scripts/bench/seed-sealed.ts';
import { startTestServer, type TestCompany, type TestServer } from '../test/harness.ts';
import { streamExport } from './attribution-export.ts';

let server: TestServer;
let acme: TestCompany;
let globex: TestCompany;
let umbrella: TestCompany;

beforeAll(async () => {
  server = await startTestServer();
  [acme, globex, umbrella] = [
    await server.company('acme'),
    await server.company('globex'),
    await server.company('umbrella'),
  ];
  const a = server.client(await acme.memberToken('admin'));
  const b = server.client(await globex.memberToken('admin'));
  const p = await a.partnerships.invite.mutate({ partner: 'globex', partnerType: 'reseller' });
  await b.partnerships.accept.mutate({ partnershipId: p.id });
  const deal = await a.opportunities.create.mutate({
    fields: {
      title: 'Seed',
      customer: { name: 'X' },
      amountMinor: 999,
      currency: 'JPY',
      stage: 'won',
      closeDate: '2026-02-01',
    },
    shareWith: [{ partner: 'globex', role: 'co_seller' }],
  });
  await b.opportunities.accept.mutate({ id: deal.id });
  await a.attribution.propose.mutate({
    dealId: deal.id,
    splits: [
      { companyId: acme.id, kind: 'sourced', bps: 5000 },
      { companyId: globex.id, kind: 'influenced', bps: 5000 },
    ],
  });
  await a.attribution.sign.mutate({ dealId: deal.id, version: 1 });
  await b.attribution.sign.mutate({ dealId: deal.id, version: 1 });
  const row = await server.deps.db
    .selectFrom('attribution_versions')
    .select(['statement', 'record'])
    .executeTakeFirstOrThrow();
  seedSealedRecords(server.dataDir, {
    dealId: deal.id,
    companyIds: [acme.id, globex.id],
    statement: row.statement,
    record: row.record!,
    from: 0,
    count: 150_000,
  });
}, 120_000);
afterAll(() => server.stop());

describe('the finance export', () => {
  it('streams 150,000 sealed records with flat memory', async () => {
    let bytes = 0;
    let peak = 0;
    const baseline = process.memoryUsage().rss;
    const summary = await streamExport(
      server.deps,
      { companyId: acme.id },
      {
        from: '2026-01-01',
        to: '2026-12-31',
        label: '2026',
        sinks: {
          json: (chunk) => {
            bytes += chunk.length;
            peak = Math.max(peak, process.memoryUsage().rss);
          },
        },
      },
    );
    expect(summary.count).toBe(150_001);
    expect(bytes).toBeGreaterThan(150_000 * 500);
    // The output is ~100 MB; holding it, or the rows, would show here.
    expect((peak - baseline) / 2 ** 20).toBeLessThan(60);
  }, 120_000);

  it('gives a company that is party to none of them an empty, signed export', async () => {
    const chunks: string[] = [];
    const summary = await streamExport(
      server.deps,
      { companyId: umbrella.id },
      {
        from: '2026-01-01',
        to: '2026-12-31',
        label: '2026',
        sinks: { json: (c) => void chunks.push(c) },
      },
    );
    expect(summary.count).toBe(0);
    const file = JSON.parse(chunks.join('')) as {
      records: unknown[];
      manifest: { signatures: unknown[] };
    };
    expect(file.records).toEqual([]);
    expect(file.manifest.signatures).toHaveLength(1);
  });
});
