import { createHash } from 'node:crypto';
import type { AttributionStatement } from '../../shared/attribution/statement.ts';
import { canonicalJson } from '../../shared/ledger/canonical-json.ts';
import type { Deps } from '../deps.ts';
import type { CompanyScope } from '../tenants/principal.ts';
import { issuerFor } from '../tenants/tokens/token-claims.ts';
import { signAsCompany } from './attestation.ts';
import { sealedPage } from './attribution.repository.ts';
import { exportProofs } from '../transparency/export-proofs.ts';

/** 2 adds the transparency log: cosigned checkpoints and each record's inclusion proofs. */
export const exportFormat = 'tandem.attribution-export/2';
export const manifestFormat = 'tandem.attribution-manifest/1';
export const csvHeader =
  'deal_id,version,close_date,currency,amount_minor,company_id,kind,bps,allocated_minor,reporting_currency,reporting_rate,reporting_amount_minor,statement_sha256\n';

/** Where the export goes: each returns a promise when the consumer needs time (backpressure). */
export interface ExportSinks {
  json(chunk: string): Promise<void> | void;
  csv?(chunk: string): Promise<void> | void;
}

export interface ExportSummary {
  count: number;
  from: string;
  to: string;
}

function csvRows(statement: AttributionStatement, statementSha: string): string {
  return statement.splits
    .map(
      (s) =>
        [
          statement.dealId,
          statement.version,
          statement.closeDate,
          statement.currency,
          statement.amountMinor,
          s.companyId,
          s.kind,
          s.bps,
          s.amountMinor,
          s.reporting?.currency ?? '',
          s.reporting?.rate ?? '',
          s.reporting?.amountMinor ?? '',
          statementSha,
        ].join(',') + '\n',
    )
    .join('');
}

function add(totals: Map<string, bigint>, key: string, amount: number): void {
  totals.set(key, (totals.get(key) ?? 0n) + BigInt(amount));
}

/**
 * Streams a company's finance export for a period: every sealed attribution it is party to, each
 * as the General JSON JWS both companies signed, then a manifest (count, totals per currency and per
 * partner, SHA-256 of the records and of the CSV) signed by the exporting company. Reads one page
 * of rows at a time, so memory stays flat whatever the size; the CSV is written in the same pass.
 */
export async function streamExport(
  deps: Deps<'db' | 'keyRing' | 'config' | 'clock' | 'deploymentKey'>,
  scope: CompanyScope,
  input: { from: string; to: string; label: string; sinks: ExportSinks },
): Promise<ExportSummary> {
  const { from, to, sinks } = input;
  const iss = issuerFor(deps.config.publicUrl, scope.companyId);
  const csvHash = createHash('sha256');
  const recordsHash = createHash('sha256');
  const byCurrency = new Map<string, bigint>();
  const byPartner = new Map<string, Map<string, bigint>>();
  const writeCsv = async (chunk: string) => {
    csvHash.update(chunk);
    await sinks.csv?.(chunk);
  };

  const proofs = await exportProofs(deps, scope.companyId);
  await sinks.json(
    `{"format":${JSON.stringify(exportFormat)},"company":${JSON.stringify({ id: scope.companyId, iss })},"period":${JSON.stringify({ from, to, label: input.label })},"transparency":${JSON.stringify(proofs.header)},"records":[`,
  );
  await writeCsv(csvHeader);
  let after: { closeDate: string; id: string } | null = null;
  let count = 0;
  for (;;) {
    const page = await sealedPage(deps.db, {
      companyId: scope.companyId,
      from,
      to,
      after,
      limit: 500,
    });
    if (page.length === 0) break;
    let json = '';
    let csv = '';
    const statements = page.map((row) => JSON.parse(row.statement) as AttributionStatement);
    const inclusions = await proofs.forPage(
      page.map((row, i) => ({
        versionId: row.id,
        dealId: statements[i]!.dealId,
        parties: statements[i]!.splits.map((s) => s.companyId),
      })),
    );
    for (const [i, row] of page.entries()) {
      const statement = statements[i]!;
      const sha = createHash('sha256').update(row.statement).digest('hex');
      // The record as both companies signed it, with where the log holds its sealing.
      const record = `${row.record!.slice(0, -1)},"inclusion":${JSON.stringify(inclusions.get(row.id) ?? [])}}`;
      json += (count === 0 ? '' : ',') + record;
      recordsHash.update(record + '\n');
      csv += csvRows(statement, sha);
      add(byCurrency, statement.currency, statement.amountMinor);
      for (const s of statement.splits) {
        const partner = byPartner.get(s.companyId) ?? new Map<string, bigint>();
        add(partner, statement.currency, s.amountMinor);
        byPartner.set(s.companyId, partner);
      }
      count++;
    }
    await sinks.json(json);
    await writeCsv(csv);
    const last = page[page.length - 1]!;
    after = { closeDate: last.close_date, id: last.id };
  }
  const strings = (m: Map<string, bigint>) =>
    Object.fromEntries([...m].map(([k, v]) => [k, v.toString()]));
  const manifest = canonicalJson({
    format: manifestFormat,
    company: scope.companyId,
    iss,
    period: { from, to, label: input.label },
    count,
    totals: {
      byCurrency: strings(byCurrency),
      byPartner: Object.fromEntries([...byPartner].map(([k, v]) => [k, strings(v)])),
    },
    recordsSha256: recordsHash.digest('hex'),
    csvSha256: csvHash.digest('hex'),
    exportedAt: deps.clock.now().toISOString(),
  });
  const signature = await signAsCompany(deps, scope, manifest);
  await sinks.json(
    `],"manifest":${JSON.stringify({ payload: Buffer.from(manifest).toString('base64url'), signatures: [signature] })}}`,
  );
  return { count, from, to };
}
