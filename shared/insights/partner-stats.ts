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
  closed: Tally;
  bySegment: Map<string, Tally>;
  wonLog10Sum: number;
  wonAmountSum: number;
  cycleDaysSum: number;
  cycleN: number;
  /** Sorted times, for "as of" questions (load and activation when a past deal was created). */
  createdTimes: number[];
  closedTimes: number[];
  wonTimes: number[];
  open: number;
  lastStepDoneOnOpen: number | null;
}

export interface CompanyRecord {
  closed: Tally;
  bySegment: Map<string, Tally>;
  avgCycleDays: number;
}

export interface HistoryStats {
  company: CompanyRecord;
  partners: Map<string, PartnerRecord>;
}

function bump<K>(m: Map<K, number>, k: K | null): void {
  if (k !== null) m.set(k, (m.get(k) ?? 0) + 1);
}

function tally(m: Map<string, Tally>, k: string | null, won: boolean): void {
  if (k === null) return;
  const t = m.get(k) ?? { n: 0, won: 0 };
  t.n++;
  if (won) t.won++;
  m.set(k, t);
}

function emptyRecord(): PartnerRecord {
  return {
    deals: 0,
    segmentDeals: new Map(),
    industryDeals: new Map(),
    countryDeals: new Map(),
    closed: { n: 0, won: 0 },
    bySegment: new Map(),
    wonLog10Sum: 0,
    wonAmountSum: 0,
    cycleDaysSum: 0,
    cycleN: 0,
    createdTimes: [],
    closedTimes: [],
    wonTimes: [],
    open: 0,
    lastStepDoneOnOpen: null,
  };
}

export function cycleDays(d: HistoryDeal): number | null {
  return d.closedAt === null ? null : Math.max(0, (d.closedAt - d.createdAt) / dayMs);
}

export function log10Amount(amount: number): number {
  return Math.log10(Math.max(1, amount));
}

/** Aggregates a company's deals: its own baseline and each partner's record with it. */
export function buildStats(deals: readonly HistoryDeal[]): HistoryStats {
  const company: CompanyRecord = {
    closed: { n: 0, won: 0 },
    bySegment: new Map(),
    avgCycleDays: 0,
  };
  const partners = new Map<string, PartnerRecord>();
  let cycleSum = 0;
  let cycleN = 0;
  for (const d of deals) {
    const closed = isClosed(d);
    const won = d.status === 'won';
    const cycle = cycleDays(d);
    if (closed) {
      company.closed.n++;
      if (won) company.closed.won++;
      tally(company.bySegment, d.segment, won);
      if (cycle !== null) {
        cycleSum += cycle;
        cycleN++;
      }
    }
    for (const p of d.partners) {
      let r = partners.get(p.id);
      if (!r) partners.set(p.id, (r = emptyRecord()));
      r.deals++;
      bump(r.segmentDeals, d.segment);
      bump(r.industryDeals, d.industry);
      bump(r.countryDeals, d.country);
      r.createdTimes.push(d.createdAt);
      if (!closed) {
        r.open++;
        if (d.lastStepDoneAt !== null)
          r.lastStepDoneOnOpen = Math.max(r.lastStepDoneOnOpen ?? 0, d.lastStepDoneAt);
        continue;
      }
      r.closed.n++;
      tally(r.bySegment, d.segment, won);
      r.closedTimes.push(d.closedAt!);
      if (cycle !== null) {
        r.cycleDaysSum += cycle;
        r.cycleN++;
      }
      if (won) {
        r.closed.won++;
        r.wonLog10Sum += log10Amount(d.amount);
        r.wonAmountSum += d.amount;
        r.wonTimes.push(d.closedAt!);
      }
    }
  }
  company.avgCycleDays = cycleN > 0 ? cycleSum / cycleN : 90;
  const asc = (a: number, b: number) => a - b;
  for (const r of partners.values()) {
    r.createdTimes.sort(asc);
    r.closedTimes.sort(asc);
    r.wonTimes.sort(asc);
  }
  return { company, partners };
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
