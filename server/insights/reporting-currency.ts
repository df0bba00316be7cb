import {
  mostUsedCurrency,
  RateBook,
  type FrozenRate,
} from '../../shared/attribution/reporting-currency.ts';
import type { Deps } from '../deps.ts';
import type { CompanyScope } from '../tenants/principal.ts';
import { currencyCounts, standingStatements, type StatementFact } from './reporting.repository.ts';

/** Where the reporting currency came from: asked for, or the company's most used. */
export type CurrencySource = 'requested' | 'most_used';

const time = (date: string) => Date.parse(`${date}T00:00:00Z`);
const byDeal = (a: StatementFact, b: StatementFact) =>
  a.dealId < b.dealId ? -1 : a.dealId > b.dealId ? 1 : 0;

/**
 * Per deal, its standing statement: the sealed one (both companies signed it) over one still
 * awaiting signatures.
 */
function standing(facts: readonly StatementFact[]): Map<string, StatementFact> {
  const out = new Map<string, StatementFact>();
  for (const f of facts) {
    const had = out.get(f.dealId);
    if (!had || (had.status !== 'sealed' && f.status === 'sealed')) out.set(f.dealId, f);
  }
  return out;
}

/**
 * The rates frozen at close into `currency`, one per deal: from the deal's standing statement,
 * the company's own split's rate when it reports in `currency`, else another party's rate into
 * the same currency (the first by company id). Deals in `currency` need none.
 */
export function frozenRates(
  facts: readonly StatementFact[],
  companyId: string,
  currency: string,
): FrozenRate[] {
  const out: FrozenRate[] = [];
  for (const { statement: s } of [...standing(facts).values()].sort(byDeal)) {
    if (s.currency === currency) continue;
    const into = s.splits
      .filter((split) => split.reporting?.currency === currency)
      .sort((a, b) =>
        a.companyId === companyId
          ? -1
          : b.companyId === companyId
            ? 1
            : a.companyId < b.companyId
              ? -1
              : 1,
      );
    const rate = into[0]?.reporting?.rate;
    if (rate)
      out.push({ dealId: s.dealId, from: s.currency, to: currency, rate, at: time(s.closeDate) });
  }
  return out;
}

/**
 * Who sourced each deal, by its sealed attribution (what both companies signed): true when a
 * partner holds the `sourced` split, false when none does. Deals without a sealed statement are
 * absent (the caller falls back to who created the deal).
 */
export function partnerSourced(
  facts: readonly StatementFact[],
  companyId: string,
): Map<string, boolean> {
  const out = new Map<string, boolean>();
  for (const f of standing(facts).values()) {
    if (f.status !== 'sealed') continue;
    out.set(
      f.dealId,
      f.statement.splits.some((s) => s.companyId !== companyId && s.kind === 'sourced'),
    );
  }
  return out;
}

/** The reporting currency: the one asked for, else the company's most used (USD with no deals). */
export async function reportingCurrency(
  deps: Deps<'db'>,
  scope: CompanyScope,
  requested: string | undefined,
): Promise<{ currency: string; source: CurrencySource }> {
  if (requested) return { currency: requested, source: 'requested' };
  return {
    currency: mostUsedCurrency(await currencyCounts(deps.db, scope)),
    source: 'most_used',
  };
}

/** The rate book of the company's frozen rates into `currency` (reads other-currency deals only). */
export async function rateBook(
  deps: Deps<'db'>,
  scope: CompanyScope,
  currency: string,
): Promise<RateBook> {
  const facts = await standingStatements(deps.db, scope, { onlyOtherThan: currency });
  return new RateBook(currency, frozenRates(facts, scope.companyId, currency));
}
