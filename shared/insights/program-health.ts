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
  /** Money figures count only deals in this currency; the others are counted apart. */
  currency: string;
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
 * - partner-sourced (a partner created the deal) vs partner-influenced (the company created it and
 *   a partner joined), pipeline by quarter created and revenue by quarter won;
 * - first deals (a partnership's first shared deal) open or closed in the window, and whether their
 *   debrief happened.
 */
export function programHealth(
  deals: readonly HistoryDeal[],
  partners: readonly HealthPartner[],
  w: HealthWindow,
) {
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
    const sourced = !d.mine;
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
  };
}

export type ProgramHealth = ReturnType<typeof programHealth>;
