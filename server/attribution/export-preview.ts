import { z } from 'zod';
import type { AttributionStatement } from '../../shared/attribution/statement.ts';
import type { Deps } from '../deps.ts';
import { DomainError } from '../core/domain-error.ts';
import { parseInput } from '../core/parse-input.ts';
import type { Principal } from '../tenants/principal.ts';
import { issuerFor } from '../tenants/tokens/token-claims.ts';
import { sealedPage } from './attribution.repository.ts';
import { periodInput, periodRange } from './export-period.ts';

export const previewInput = periodInput.extend({
  first: z.number().int().min(1).max(100).default(10).describe('how many records to show'),
});

export interface ExportPreview {
  period: { from: string; to: string; label: string };
  /** The export's file name, as the download names it. */
  fileName: string;
  /**
   * The offline check of the downloaded export, whole: `npx tandem verify <file> --jwks <each
   * signer's JWK Set> --log-key <the transparency log's key>`.
   */
  verifyCommand: string;
  /** Records (sealed attribution versions) the export will hold. */
  count: number;
  /** The first records in the export's order (close date, then id). */
  first: {
    dealId: string;
    title: string;
    version: number;
    closeDate: string;
    currency: string;
    amountMinor: number;
    /** The caller's company's split of the record. */
    mine: {
      kind: string;
      bps: number;
      amountMinor: number;
      reporting: { currency: string; rate: string; amountMinor: number } | null;
    } | null;
    partners: { id: string; name: string; kind: string; bps: number }[];
  }[];
  totals: {
    /** Deal amounts per deal currency, as the manifest sums them (minor units). */
    byCurrency: { currency: string; records: number; amountMinor: number }[];
    /** The caller's company's allocated share per deal currency. */
    mineByCurrency: { currency: string; amountMinor: number }[];
    /** The caller's share in the currency it reports in, where its split carries a rate. */
    mineReporting: { currency: string; amountMinor: number }[];
    /** Each company's allocated share per currency, as the manifest sums them. */
    byCompany: { id: string; name: string; currency: string; amountMinor: number }[];
  };
}

function add(m: Map<string, bigint>, key: string, amount: number): void {
  m.set(key, (m.get(key) ?? 0n) + BigInt(amount));
}

/**
 * What the period's finance export will hold, before it is made: the record count, the first
 * records, and the totals the signed manifest will carry (per currency and per company), plus the
 * caller's own share. Reads the same sealed records as the export, a page at a time; signs
 * nothing. Needs export:read (the router checks). Raises ValidationFailed (bad period).
 */
export async function exportPreview(
  deps: Deps<'db' | 'config'>,
  actor: Principal,
  input: z.input<typeof previewInput>,
): Promise<ExportPreview> {
  const { first: limit, ...period } = parseInput(previewInput, input);
  const range = periodRange(period);
  const me = actor.companyId;
  const byCurrency = new Map<string, bigint>();
  const records = new Map<string, number>();
  const mine = new Map<string, bigint>();
  const mineReporting = new Map<string, bigint>();
  const byCompany = new Map<string, bigint>();
  const firstStatements: AttributionStatement[] = [];
  let after: { closeDate: string; id: string } | null = null;
  let count = 0;
  for (;;) {
    const page = await sealedPage(deps.db, {
      companyId: me,
      from: range.from,
      to: range.to,
      after,
      limit: 500,
    });
    if (page.length === 0) break;
    for (const row of page) {
      const s = JSON.parse(row.statement) as AttributionStatement;
      if (firstStatements.length < limit) firstStatements.push(s);
      add(byCurrency, s.currency, s.amountMinor);
      records.set(s.currency, (records.get(s.currency) ?? 0) + 1);
      for (const split of s.splits) {
        add(byCompany, `${split.companyId}\u0000${s.currency}`, split.amountMinor);
        if (split.companyId !== me) continue;
        add(mine, s.currency, split.amountMinor);
        if (split.reporting)
          add(mineReporting, split.reporting.currency, split.reporting.amountMinor);
      }
      count++;
    }
    const last = page[page.length - 1]!;
    after = { closeDate: last.close_date, id: last.id };
  }
  const companyIds = new Set([...byCompany.keys()].map((k) => k.split('\u0000')[0]!));
  const dealIds = firstStatements.map((s) => s.dealId);
  const [companies, titles] = [
    companyIds.size === 0
      ? []
      : await deps.db
          .selectFrom('companies')
          .select(['id', 'name'])
          .where('id', 'in', [...companyIds])
          .execute(),
    dealIds.length === 0
      ? []
      : await deps.db
          .selectFrom('opportunities')
          .select(['id', 'title'])
          .where('id', 'in', dealIds)
          .execute(),
  ];
  const nameOf = new Map(companies.map((c) => [c.id, c.name]));
  const titleOf = new Map(titles.map((t) => [t.id, t.title]));
  const num = (v: bigint) => {
    if (v > BigInt(Number.MAX_SAFE_INTEGER))
      throw new DomainError('InvalidState', 'a total is beyond the safe integers');
    return Number(v);
  };
  const list = (m: Map<string, bigint>) =>
    [...m]
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([currency, v]) => ({ currency, amountMinor: num(v) }));
  // Every company that signs a record, the exporter first (it signs the manifest too).
  const signers = [me, ...[...companyIds].filter((id) => id !== me).sort()];
  const publicUrl = deps.config.publicUrl;
  const fileName = `tandem-attribution-${range.label.replace(/[^\w.-]/g, '_')}.json`;
  return {
    period: range,
    fileName,
    verifyCommand:
      `npx tandem verify ${fileName} --jwks ` +
      signers.map((id) => `${issuerFor(publicUrl, id)}/.well-known/jwks.json`).join(',') +
      ` --log-key ${publicUrl}/.well-known/tandem-log.vkey`,
    count,
    first: firstStatements.map((s) => {
      const own = s.splits.find((x) => x.companyId === me);
      return {
        dealId: s.dealId,
        title: titleOf.get(s.dealId) ?? s.dealId,
        version: s.version,
        closeDate: s.closeDate,
        currency: s.currency,
        amountMinor: s.amountMinor,
        mine: own
          ? {
              kind: own.kind,
              bps: own.bps,
              amountMinor: own.amountMinor,
              reporting: own.reporting ?? null,
            }
          : null,
        partners: s.splits
          .filter((x) => x.companyId !== me)
          .map((x) => ({
            id: x.companyId,
            name: nameOf.get(x.companyId) ?? x.companyId,
            kind: x.kind,
            bps: x.bps,
          })),
      };
    }),
    totals: {
      byCurrency: list(byCurrency).map((t) => ({ ...t, records: records.get(t.currency) ?? 0 })),
      mineByCurrency: list(mine),
      mineReporting: list(mineReporting),
      byCompany: [...byCompany]
        .map(([key, v]) => {
          const [id, currency] = key.split('\u0000') as [string, string];
          return { id, name: nameOf.get(id) ?? id, currency, amountMinor: num(v) };
        })
        // The caller first, then by name (and id), each company's currencies in code order.
        .sort(
          (a, b) =>
            Number(a.id !== me) - Number(b.id !== me) ||
            a.name.localeCompare(b.name) ||
            (a.id < b.id ? -1 : a.id > b.id ? 1 : 0) ||
            (a.currency < b.currency ? -1 : a.currency > b.currency ? 1 : 0),
        ),
    },
  };
}
