import { createPublicKey, verify as cryptoVerify } from 'node:crypto';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { verifyExport, type ExportFile } from '../../client/sdk/verify/export-verifier.ts';
import { nodeSha256 } from '../../client/sdk/verify/node-sha256.ts';
import { streamExport } from '../../server/attribution/attribution-export.ts';
import { databaseFileName } from '../../server/store/sqlite/db.ts';
import { sealedDeal } from '../../test/kit/fixtures.ts';
import { startTestServer, type TestServer } from '../../test/kit/harness.ts';
import { figure, type Figure } from './measure.ts';
import { seedSealedRecords } from '../../test/kit/seed-sealed.ts';

/** A raw scan of the same rows the export reads: the reference for export throughput. */
function rawScan(dataDir: string, companyId: string): { rows: number; seconds: number } {
  const sqlite = new SQLite(path.join(dataDir, databaseFileName), { readonly: true });
  const started = performance.now();
  let rows = 0;
  let bytes = 0;
  for (const row of sqlite
    .prepare(
      `select v.id, v.close_date, v.statement, v.record from attribution_parties p join attribution_versions v on v.id = p.version_id
       where p.company_id = ? and v.status = 'sealed' order by v.close_date, v.id`,
    )
    .iterate(companyId) as Iterable<{ statement: string; record: string }>) {
    rows++;
    bytes += row.record.length + row.statement.length;
  }
  sqlite.close();
  if (bytes < 0) throw new Error('unreachable');
  return { rows, seconds: (performance.now() - started) / 1000 };
}

async function timedExport(
  server: TestServer,
  companyId: string,
  range: { from: string; to: string },
  keep?: string[],
) {
  const baseline = process.memoryUsage().rss;
  let peak = baseline;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20);
  const started = performance.now();
  const summary = await streamExport(
    server.deps,
    { companyId },
    { ...range, label: 'bench', sinks: { json: (c) => void keep?.push(c) } },
  );
  const seconds = (performance.now() - started) / 1000;
  clearInterval(sampler);
  return {
    count: summary.count,
    seconds,
    peakMb: (Math.max(peak, process.memoryUsage().rss) - baseline) / 2 ** 20,
  };
}

/**
 * Streaming finance export of 100k and 1M sealed records against a raw SQLite scan of the same rows,
 * with the growth of resident memory while it runs; offline verify throughput against bare
 * node:crypto Ed25519 verifies of the same signatures. `sizes` are the export sizes, ascending.
 */
export async function benchExport({
  sizes = [100_000, 1_000_000],
}: { sizes?: number[] } = {}): Promise<Figure[]> {
  const server = await startTestServer();
  try {
    const seed = await sealedDeal(server);
    const figures: Figure[] = [];
    let seeded = 1;
    for (const size of sizes) {
      await seedSealedRecords(server.deps, {
        dealId: seed.dealId,
        companyIds: [seed.acme.id, seed.globex.id],
        statement: seed.statement,
        record: seed.record,
        from: seeded,
        count: size - seeded,
      });
      seeded = size;
      const raw = rawScan(server.dataDir, seed.acme.id);
      const run = await timedExport(server, seed.acme.id, { from: '2026-01-01', to: '2026-12-31' });
      if (run.count !== size || raw.rows !== size)
        throw new Error(`expected ${size} records, exported ${run.count}, scanned ${raw.rows}`);
      figures.push(
        figure(
          `export of ${size.toLocaleString('en')} sealed records`,
          run.count / run.seconds,
          'records/s',
          'raw SQLite scan of the same rows',
          raw.rows / raw.seconds,
        ),
      );
      figures.push(
        figure(
          `export of ${size.toLocaleString('en')} records: resident memory growth`,
          run.peakMb,
          'MB',
          'target ceiling',
          200,
        ),
      );
    }
    // Offline verify of one week of records (~2,700 records at full size, 2 signatures each).
    const chunks: string[] = [];
    await timedExport(server, seed.acme.id, { from: '2026-01-01', to: '2026-01-07' }, chunks);
    const file = JSON.parse(chunks.join('')) as ExportFile;
    const jwks = Object.fromEntries(
      await Promise.all(
        [seed.acme, seed.globex].map(async (c) => {
          const keys = await server.deps.keyRing.jwks(server.deps.db, { companyId: c.id });
          return [`http://tandem.test/companies/${c.id}`, keys] as const;
        }),
      ),
    );
    let started = performance.now();
    const report = await verifyExport(file, jwks, { sha256: nodeSha256 });
    const verifySeconds = (performance.now() - started) / 1000;
    if (!report.ok) throw new Error(`verify failed: ${JSON.stringify(report.firstBad)}`);
    const [sig] = file.records[0]!.signatures;
    const header = JSON.parse(Buffer.from(sig!.protected, 'base64url').toString()) as {
      kid: string;
    };
    const jwk = Object.values(jwks)
      .flatMap((s) => s.keys)
      .find((k) => k.kid === header.kid)!;
    const key = createPublicKey({ key: jwk as never, format: 'jwk' });
    const data = Buffer.from(`${sig!.protected}.${file.records[0]!.payload}`);
    const signature = Buffer.from(sig!.signature, 'base64url');
    started = performance.now();
    for (let i = 0; i < file.records.length * 2; i++) cryptoVerify(null, data, key, signature);
    const bareSeconds = (performance.now() - started) / 1000;
    figures.push(
      figure(
        'offline verify (2 signatures a record, canonical form, manifest)',
        report.records / verifySeconds,
        'records/s',
        'bare node:crypto Ed25519 verifies, 2 a record',
        file.records.length / bareSeconds,
      ),
    );
    return figures;
  } finally {
    await server.stop();
  }
}
