import { minorExponent } from '../money/currencies.ts';
import {
  conversionRule,
  emptyTally,
  RateBook,
  type ConversionBasis,
  type ConversionTally,
} from '../attribution/reporting-currency.ts';
import { dayMs, type HistoryDeal } from './deal-history.ts';

export interface HealthPartner {
  id: string;
  slug: string;
  name: string;
}

export interface HealthWindow {
  /** Inclusive, ms since the epoch (start of the first day, end of the last). */
  from: number;
  to: number;
  /**
   * The reporting currency: money figures are in it, other currencies converted by the rate book
   * (deals it has no rate for are counted apart).
   */
  currency: string;
  /** Where the currency came from: asked for, or the company's most used. */
  currencySource?: 'requested' | 'most_used';
}

export interface HealthOptions {
  /** The frozen rates into `w.currency`; without it only deals in that currency count. */
  book?: RateBook;
  /**
   * Per deal with a sealed attribution, whether a partner holds its `sourced` split (what both
   * companies signed). Other deals are partner-sourced when a partner created them.
   */
  partnerSourced?: ReadonlyMap<string, boolean>;
}

const exponentOf = (currency: string) => {
  try {
    return minorExponent(currency);
  } catch {
    return 2;
  }
};

/**
 * The deals with their amounts in the reporting currency where the book has a rate (see
 * shared/attribution/reporting-currency.ts); a deal it has none for keeps its own currency, so the
 * money figures leave it out. Also how each deal was converted.
 */
function inReportingCurrency(deals: readonly HistoryDeal[], w: HealthWindow, book: RateBook) {
  const basis = new Map<string, ConversionBasis>();
  const out = deals.map((d) => {
    if (d.currency === w.currency) {
      basis.set(d.id, 'same');
      return d;
    }
    const amountMinor = Math.round(d.amount * 10 ** exponentOf(d.currency));
    const c = book.convert({ id: d.id, currency: d.currency, amountMinor, closedAt: d.closedAt });
    basis.set(d.id, c.basis);
    if (c.amountMinor === null) return d;
    return { ...d, currency: w.currency, amount: c.amountMinor / 10 ** exponentOf(w.currency) };
  });
  return { deals: out, basis };
}

/** How a set of deals was converted, with the ones left out summed in their own currency. */
function tallyOf(
  deals: readonly HistoryDeal[],
  basis: ReadonlyMap<string, ConversionBasis>,
): Omit<ConversionTally, 'totalMinor'> {
  const t = emptyTally();
  const leftOut = new Map<string, { count: number; amount: number }>();
  for (const d of deals) {
    const b = basis.get(d.id) ?? 'none';
    t.count++;
    t.byBasis[b]++;
    if (b !== 'none') continue;
    const e = leftOut.get(d.currency) ?? { count: 0, amount: 0 };
    e.count++;
    e.amount += Math.round(d.amount * 10 ** exponentOf(d.currency));
    leftOut.set(d.currency, e);
  }
  return {
    count: t.count,
    byBasis: t.byBasis,
    leftOut: [...leftOut]
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([currency, e]) => ({ currency, count: e.count, amountMinor: e.amount })),
  };
}

const quarterOf = (t: number) => {
  const d = new Date(t);
  return `${d.getUTCFullYear()}-Q${Math.floor(d.getUTCMonth() / 3) + 1}`;
};
const avg = (xs: number[]) => (xs.length > 0 ? xs.reduce((s, x) => s + x, 0) / xs.length : null);
const inWindow = (t: number | null, w: HealthWindow) => t !== null && t >= w.from && t <= w.to;

function outcomeStats(deals: HistoryDeal[], w: HealthWindow) {
  const won = deals.filter((d) => d.status === 'won');
  const inCurrency = won.filter((d) => d.currency === w.currency);
  return {
    closed: deals.length,
    won: won.length,
    winRate: deals.length > 0 ? won.length / deals.length : null,
    avgDealSize: avg(inCurrency.map((d) => d.amount)),
    avgCycleDays: avg(won.map((d) => (d.closedAt! - d.createdAt) / dayMs)),
  };
}

/**
 * Program health over a window (design.md: Program health), computed from the company's deals:
 * - activated partners: a won deal closed in the 90 days to the window's end, or an open shared
 *   deal with a co-sell step done in the 30 days to it; the other active partners are paper;
 * - concentration: the share of partner revenue (won in the window, split evenly between a deal's
 *   partners) from the top ten partners;
 * - co-sold (a partner took part) vs not: win rate, average won size, average won cycle;
 * - partner-sourced vs partner-influenced, pipeline by quarter created and revenue by quarter won:
 *   sourced when the deal's sealed attribution gives a partner the `sourced` split, or (no sealed
 *   attribution) when a partner created the deal; influenced otherwise (a partner took part);
 * - first deals (a partnership's first shared deal) open or closed in the window, and whether their
 *   debrief happened;
 * - money in one reporting currency (`w.currency`), each deal converted by `options.book` (the
 *   rule: shared/attribution/reporting-currency.ts); `conversion` says how many deals were converted on
 *   which basis and which were left out, per currency, for the closed deals of the window and the
 *   open deals created in it.
 */
export function programHealth(
  given: readonly HistoryDeal[],
  partners: readonly HealthPartner[],
  w: HealthWindow,
  options: HealthOptions = {},
) {
  const book = options.book ?? new RateBook(w.currency, []);
  // In one order whatever order they came in: floating-point sums then come out the same.
  const sorted = [...given].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const { deals, basis } = inReportingCurrency(sorted, w, book);
  const sourcedByPartner = (d: HistoryDeal) => options.partnerSourced?.get(d.id) ?? !d.mine;
  const activeWhy = new Map<string, string>();
  for (const d of deals) {
    for (const p of d.partners) {
      if (d.status === 'won' && d.closedAt! > w.to - 90 * dayMs && d.closedAt! <= w.to)
        activeWhy.set(p.id, 'won a deal in the last 90 days');
      else if (
        d.status === 'open' &&
        d.lastStepDoneAt !== null &&
        d.lastStepDoneAt > w.to - 30 * dayMs &&
        d.lastStepDoneAt <= w.to &&
        !activeWhy.has(p.id)
      )
        activeWhy.set(p.id, 'a co-sell step done on an open deal in the last 30 days');
    }
  }
  const activation = partners.map((p) => ({
    partner: p,
    activated: activeWhy.has(p.id),
    why: activeWhy.get(p.id) ?? null,
  }));

  const closed = deals.filter((d) => d.status !== 'open' && inWindow(d.closedAt, w));
  const revenue = new Map<string, number>();
  for (const d of closed) {
    if (d.status !== 'won' || d.partners.length === 0 || d.currency !== w.currency) continue;
    for (const p of d.partners)
      revenue.set(p.id, (revenue.get(p.id) ?? 0) + d.amount / d.partners.length);
  }
  const ranked = [...revenue].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
  const total = ranked.reduce((s, [, v]) => s + v, 0);
  const topTen = ranked.slice(0, 10).reduce((s, [, v]) => s + v, 0);
  const names = new Map(partners.map((p) => [p.id, p]));

  const quarters = new Map<
    string,
    {
      sourcedPipeline: number;
      influencedPipeline: number;
      sourcedRevenue: number;
      influencedRevenue: number;
    }
  >();
  const q = (t: number) => {
    const key = quarterOf(t);
    let e = quarters.get(key);
    if (!e) {
      e = { sourcedPipeline: 0, influencedPipeline: 0, sourcedRevenue: 0, influencedRevenue: 0 };
      quarters.set(key, e);
    }
    return e;
  };
  for (const d of deals) {
    if (d.partners.length === 0 || d.currency !== w.currency) continue;
    const sourced = sourcedByPartner(d);
    if (inWindow(d.createdAt, w))
      q(d.createdAt)[sourced ? 'sourcedPipeline' : 'influencedPipeline'] += d.amount;
    if (d.status === 'won' && inWindow(d.closedAt, w))
      q(d.closedAt!)[sourced ? 'sourcedRevenue' : 'influencedRevenue'] += d.amount;
  }

  const firstDeals = deals
    .filter((d) => d.partners.some((p) => p.firstDeal))
    .filter((d) => d.status === 'open' || inWindow(d.closedAt, w))
    .map((d) => ({
      dealId: d.id,
      partners: d.partners.filter((p) => p.firstDeal).map((p) => p.id),
      status: d.status,
      debrief: d.status === 'open' ? 'not_due' : d.debriefDone ? 'done' : 'missing',
    }));

  return {
    window: {
      from: new Date(w.from).toISOString(),
      to: new Date(w.to).toISOString(),
      currency: w.currency,
      currencySource: w.currencySource ?? 'requested',
    },
    partners: {
      activated: activation.filter((a) => a.activated).length,
      paper: activation.filter((a) => !a.activated).length,
      list: activation,
    },
    concentration: {
      partnerRevenue: total,
      topTenRevenue: topTen,
      topTenShare: total > 0 ? topTen / total : null,
      top: ranked
        .slice(0, 10)
        .map(([id, amount]) => ({ partner: names.get(id) ?? { id, slug: id, name: id }, amount })),
    },
    coSold: outcomeStats(
      closed.filter((d) => d.partners.length > 0),
      w,
    ),
    notCoSold: outcomeStats(
      closed.filter((d) => d.partners.length === 0),
      w,
    ),
    byQuarter: [...quarters]
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([quarter, v]) => ({ quarter, ...v })),
    firstDeals,
    otherCurrencyDeals: closed.filter((d) => d.currency !== w.currency).length,
    conversion: {
      rule: conversionRule(w.currency),
      closed: tallyOf(closed, basis),
      openCreated: tallyOf(
        deals.filter((d) => d.status === 'open' && inWindow(d.createdAt, w)),
        basis,
      ),
    },
  };
}

export type ProgramHealth = ReturnType<typeof programHealth>;
