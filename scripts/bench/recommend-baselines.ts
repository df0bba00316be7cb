import { isClosed, type HistoryDeal } from '../../shared/insights/deal-history.ts';

/**
 * What a careful analyst does with a spreadsheet, and two simpler rankings: each returns, for a
 * deal's segment and industry, a score per partner (higher first). Built from closed deals only.
 */
export type Scorer = (partnerId: string, segment: string, industry: string) => number;

interface Counts {
  n: number;
  won: number;
  revenue: number;
  cells: Map<string, { n: number; won: number }>;
}

function countsOf(deals: readonly HistoryDeal[]) {
  const byPartner = new Map<string, Counts>();
  let n = 0;
  let won = 0;
  for (const d of deals) {
    if (!isClosed(d)) continue;
    n++;
    const w = d.status === 'won' ? 1 : 0;
    won += w;
    for (const p of d.partners) {
      const c = byPartner.get(p.id) ?? { n: 0, won: 0, revenue: 0, cells: new Map() };
      c.n++;
      c.won += w;
      c.revenue += w * d.amount;
      const key = `${d.segment}|${d.industry}`;
      const cell = c.cells.get(key) ?? { n: 0, won: 0 };
      cell.n++;
      cell.won += w;
      c.cells.set(key, cell);
      byPartner.set(p.id, c);
    }
  }
  return { byPartner, rate: n > 0 ? won / n : 0.3 };
}

/** Partners by total won revenue with the company. */
export function revenueRank(deals: readonly HistoryDeal[]): Scorer {
  const { byPartner } = countsOf(deals);
  return (id) => byPartner.get(id)?.revenue ?? 0;
}

/** Partners by overall win rate (Laplace-smoothed, so 1 of 1 is not 100 %). */
export function winRateRank(deals: readonly HistoryDeal[]): Scorer {
  const { byPartner } = countsOf(deals);
  return (id) => {
    const c = byPartner.get(id);
    return ((c?.won ?? 0) + 1) / ((c?.n ?? 0) + 2);
  };
}

/**
 * Each partner's win rate in the deal's segment × industry cell, shrunk toward its overall rate by
 * `k` pseudo-deals, the overall rate shrunk toward the company's by `m`.
 */
export function perCell(deals: readonly HistoryDeal[], k: number, m: number): Scorer {
  const { byPartner, rate } = countsOf(deals);
  return (id, s, i) => {
    const c = byPartner.get(id);
    const overall = ((c?.won ?? 0) + m * rate) / ((c?.n ?? 0) + m);
    const cell = c?.cells.get(`${s}|${i}`);
    return ((cell?.won ?? 0) + k * overall) / ((cell?.n ?? 0) + k);
  };
}

/**
 * The analyst's care: `k` and `m` picked from a grid by log-loss on the newest fifth of the closed
 * deals, fitted on the older four fifths; then refitted on all of them.
 */
export function tunedPerCell(deals: readonly HistoryDeal[]): {
  score: Scorer;
  k: number;
  m: number;
} {
  const closed = deals.filter((d) => isClosed(d)).sort((a, b) => a.createdAt - b.createdAt);
  const cut = Math.floor(closed.length * 0.8);
  const older = closed.slice(0, cut);
  const newer = closed.slice(cut).filter((d) => d.partners.length > 0);
  let best = { k: 10, m: 10, loss: Number.POSITIVE_INFINITY };
  for (const k of [1, 2, 4, 8, 16, 32, 64])
    for (const m of [2, 8, 32]) {
      const score = perCell(older, k, m);
      let loss = 0;
      for (const d of newer)
        for (const p of d.partners) {
          const q = Math.min(0.999, Math.max(0.001, score(p.id, d.segment!, d.industry!)));
          loss -= Math.log(d.status === 'won' ? q : 1 - q);
        }
      if (loss < best.loss) best = { k, m, loss };
    }
  return { score: perCell(deals, best.k, best.m), k: best.k, m: best.m };
}
