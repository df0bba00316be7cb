import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedSealedRecords } from '../../test/kit/seed-sealed.ts';
import { sealedDeal } from '../../test/kit/fixtures.ts';
import { startTestServer, type TestCompany, type TestServer } from '../../test/kit/harness.ts';
import { testStore } from '../../test/kit/stores.ts';
import { streamExport } from './attribution-export.ts';

let server: TestServer;
let acme: TestCompany;
let globex: TestCompany;
let umbrella: TestCompany;

beforeAll(async () => {
  server = await startTestServer();
  const seed = await sealedDeal(server, {
    amountMinor: 999,
    currency: 'JPY',
    closeDate: '2026-02-01',
  });
  [acme, globex, umbrella] = [seed.acme, seed.globex, await server.company('umbrella')];
  await seedSealedRecords(server.deps, {
    dealId: seed.dealId,
    companyIds: [acme.id, globex.id],
    statement: seed.statement,
    record: seed.record,
    from: 0,
    count: 1_000_000,
  });
}, 300_000);
afterAll(() => server.stop());

describe('the finance export', () => {
  it('streams 1,000,000 sealed records with flat memory', async () => {
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
    expect(summary.count).toBe(1_000_001);
    expect(bytes).toBeGreaterThan(1_000_000 * 500);
    // The output is ~700 MB; holding it, or the rows, would show here. On PostgreSQL the driver
    // leaves more garbage per page: the heap saws up to ~85 MB and back, flat over the run, and
    // on a loaded machine the collector lets it reach 130 MB; the ceiling is the benchmark's
    // (BENCHMARKS.md, 200 MB), still far below what holding the output would take.
    expect((peak - baseline) / 2 ** 20).toBeLessThan(testStore() === 'postgres' ? 200 : 60);
  }, 300_000);

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
