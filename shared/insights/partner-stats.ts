import { dayMs, isClosed, type HistoryDeal } from './deal-history.ts';

export interface Tally {
  n: number;
  won: number;
}

/** A partner's record with one company, aggregated once so that a ranking reads it in O(1). */
export interface PartnerRecord {
  /** Every deal with the partner, open or closed, and by segment / industry / country. */
  deals: number;
  segmentDeals: Map<string, number>;
  industryDeals: Map<string, number>;
  countryDeals: Map<string, number>;
  /** Every deal by segment × industry (see cellKey). */
  cellDeals: Map<string, number>;
  closed: Tally;
  bySegment: Map<string, Tally>;
  byIndustry: Map<string, Tally>;
  /** Closed deals by segment × industry. */
  byCell: Map<string, Tally>;
  wonLog10Sum: number;
  wonAmountSum: number;
  cycleDaysSum: number;
  cycleN: number;
}

/**
 * When things happened with a partner, sorted, for "as of" questions (load and activation when a
 * past deal was created): a count before a time uses nothing that came after it.
 */
export interface PartnerTimeline {
  createdTimes: number[];
  closedTimes: number[];
  wonTimes: number[];
  /** Known only now: not usable for a past deal. */
  lastStepDoneOnOpen: number | null;
}

export interface CompanyRecord {
  /** Every deal, with a partner or not, and by cell: where the company's deals usually fall. */
  deals: number;
  segmentDeals: Map<string, number>;
  industryDeals: Map<string, number>;
  countryDeals: Map<string, number>;
  cellDeals: Map<string, number>;
  closed: Tally;
  bySegment: Map<string, Tally>;
  byIndustry: Map<string, Tally>;
  byCell: Map<string, Tally>;
  cycleN: number;
  cycleDaysSum: number;
  cycleDaysSq: number;
}

/**
 * The company's mean cycle time and its spread: a spread near 0 says the history's dates are not
 * business dates (every deal "closed" the day it was entered), so cycle times mean nothing.
 */
export function companyCycle(c: CompanyRecord): { avgDays: number; spreadDays: number } {
  if (c.cycleN === 0) return { avgDays: 90, spreadDays: 0 };
  const mean = c.cycleDaysSum / c.cycleN;
  return {
    avgDays: mean,
    spreadDays: Math.sqrt(Math.max(0, c.cycleDaysSq / c.cycleN - mean * mean)),
  };
}

export interface HistoryStats {
  company: CompanyRecord;
  partners: Map<string, PartnerRecord>;
  timelines: Map<string, PartnerTimeline>;
}

/** The key of a segment × industry cell, or null when the deal lacks either. */
export function cellKey(segment: string | null, industry: string | null): string | null {
  return segment === null || industry === null ? null : `${segment}|${industry}`;
}

function bump(m: Map<string, number>, k: string | null): void {
  if (k !== null) m.set(k, (m.get(k) ?? 0) + 1);
}

function tally(m: Map<string, Tally>, k: string | null, won: boolean): void {
  if (k === null) return;
  const t = m.get(k) ?? { n: 0, won: 0 };
  t.n++;
  if (won) t.won++;
  m.set(k, t);
}

export function emptyRecord(): PartnerRecord {
  return {
    deals: 0,
    segmentDeals: new Map(),
    industryDeals: new Map(),
    countryDeals: new Map(),
    cellDeals: new Map(),
    closed: { n: 0, won: 0 },
    bySegment: new Map(),
    byIndustry: new Map(),
    byCell: new Map(),
    wonLog10Sum: 0,
    wonAmountSum: 0,
    cycleDaysSum: 0,
    cycleN: 0,
  };
}

export function emptyStats(): HistoryStats {
  return {
    // The company's record is a partner's without the won-amount sums, with the cycle's spread.
    company: (({ wonLog10Sum: _l, wonAmountSum: _a, ...rest }) => ({ ...rest, cycleDaysSq: 0 }))(
      emptyRecord(),
    ),
    partners: new Map(),
    timelines: new Map(),
  };
}

export function cycleDays(d: HistoryDeal): number | null {
  return d.closedAt === null ? null : Math.max(0, (d.closedAt - d.createdAt) / dayMs);
}

export function log10Amount(amount: number): number {
  return Math.log10(Math.max(1, amount));
}

function recordOf(stats: HistoryStats, id: string): PartnerRecord {
  let r = stats.partners.get(id);
  if (!r) stats.partners.set(id, (r = emptyRecord()));
  return r;
}

/** Counts a deal as created (its partners' deal counts and fit shares). */
export function addCreated(stats: HistoryStats, d: HistoryDeal): void {
  const cell = cellKey(d.segment, d.industry);
  const c = stats.company;
  c.deals++;
  bump(c.segmentDeals, d.segment);
  bump(c.industryDeals, d.industry);
  bump(c.countryDeals, d.country);
  bump(c.cellDeals, cell);
  for (const p of d.partners) {
    const r = recordOf(stats, p.id);
    r.deals++;
    bump(r.segmentDeals, d.segment);
    bump(r.industryDeals, d.industry);
    bump(r.countryDeals, d.country);
    bump(r.cellDeals, cell);
  }
}

/** Counts a closed deal's outcome: the company's tallies and each partner's. */
export function addClosed(stats: HistoryStats, d: HistoryDeal): void {
  const won = d.status === 'won';
  const cell = cellKey(d.segment, d.industry);
  const c = stats.company;
  c.closed.n++;
  if (won) c.closed.won++;
  tally(c.bySegment, d.segment, won);
  tally(c.byIndustry, d.industry, won);
  tally(c.byCell, cell, won);
  const cycle = cycleDays(d);
  if (cycle !== null) {
    c.cycleN++;
    c.cycleDaysSum += cycle;
    c.cycleDaysSq += cycle * cycle;
  }
  for (const p of d.partners) {
    const r = recordOf(stats, p.id);
    r.closed.n++;
    tally(r.bySegment, d.segment, won);
    tally(r.byIndustry, d.industry, won);
    tally(r.byCell, cell, won);
    if (cycle !== null) {
      r.cycleDaysSum += cycle;
      r.cycleN++;
    }
    if (won) {
      r.closed.won++;
      r.wonLog10Sum += log10Amount(d.amount);
      r.wonAmountSum += d.amount;
    }
  }
}

function timelineOf(stats: HistoryStats, id: string): PartnerTimeline {
  let t = stats.timelines.get(id);
  if (!t) {
    t = { createdTimes: [], closedTimes: [], wonTimes: [], lastStepDoneOnOpen: null };
    stats.timelines.set(id, t);
  }
  return t;
}

/** Aggregates a company's deals: its own baseline and each partner's record and timeline. */
export function buildStats(deals: readonly HistoryDeal[]): HistoryStats {
  const stats = emptyStats();
  for (const d of deals) {
    addCreated(stats, d);
    const closed = isClosed(d);
    if (closed) addClosed(stats, d);
    for (const p of d.partners) {
      const t = timelineOf(stats, p.id);
      t.createdTimes.push(d.createdAt);
      if (closed) {
        // A close dated before the creation is taken as closing at creation, never earlier.
        const at = Math.max(d.closedAt!, d.createdAt);
        t.closedTimes.push(at);
        if (d.status === 'won') t.wonTimes.push(at);
      } else if (d.lastStepDoneAt !== null)
        t.lastStepDoneOnOpen = Math.max(t.lastStepDoneOnOpen ?? 0, d.lastStepDoneAt);
    }
  }
  const asc = (a: number, b: number) => a - b;
  for (const t of stats.timelines.values()) {
    t.createdTimes.sort(asc);
    t.closedTimes.sort(asc);
    t.wonTimes.sort(asc);
  }
  return stats;
}

/** How many of the sorted `times` are strictly before `t`. */
export function countBefore(times: readonly number[], t: number): number {
  let lo = 0;
  let hi = times.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (times[mid]! < t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
