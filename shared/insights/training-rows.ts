import type { PartnerType } from '../tenancy/tenancy.ts';
import { fitCellEffects, type CellEffects } from './cell-effects.ts';
import { isClosed, type HistoryDeal } from './deal-history.ts';
import { partnerFeatures } from './partner-features.ts';
import { addClosed, addCreated, emptyStats, type PartnerTimeline } from './partner-stats.ts';

/** One (closed deal, partner that took part) pair, described as it looked when the deal was created. */
export interface TrainingRow {
  dealId: string;
  partnerId: string;
  at: number;
  x: Float64Array;
  won: number;
}

export interface RowOptions {
  /** The newest this many rows are returned (older deals still feed the records). */
  maxRows?: number;
  /** Cell effects are refitted after every this many closes (a size setting, not data). */
  refitEvery?: number;
}

const byTime = (t: (d: HistoryDeal) => number) => (a: HistoryDeal, b: HistoryDeal) =>
  t(a) - t(b) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

// A close dated before the creation counts at the creation: a deal never sees its own outcome.
const closeTime = (d: HistoryDeal) => Math.max(d.closedAt!, d.createdAt);

/**
 * Replays the history in time order: each row's features use only deals created (counts, fit) or
 * closed (records, cell effects) strictly before its deal was created, and partner timelines only
 * as of then. Account lists have no history, so rows carry no account signal: those weights stay
 * at the prior. Pure: the same deals give the same rows.
 */
export function trainingRows(
  deals: readonly HistoryDeal[],
  timelines: ReadonlyMap<string, PartnerTimeline>,
  typeOf: (partnerId: string) => PartnerType | undefined,
  options: RowOptions = {},
): TrainingRow[] {
  const { maxRows = 40_000, refitEvery = 250 } = options;
  const created = [...deals].sort(byTime((d) => d.createdAt));
  const closed = deals.filter(isClosed).sort(byTime(closeTime));
  const targets = created.filter((d) => isClosed(d) && d.partners.length > 0);
  let pairs = 0;
  let first = targets.length;
  while (first > 0 && pairs < maxRows) pairs += targets[--first]!.partners.length;
  const stats = emptyStats();
  let ci = 0;
  let ki = 0;
  let sinceFit = Number.POSITIVE_INFINITY;
  let effects: CellEffects | undefined;
  const rows: TrainingRow[] = [];
  for (let t = 0; t < targets.length; t++) {
    const d = targets[t]!;
    const at = d.createdAt;
    while (ci < created.length && created[ci]!.createdAt < at) addCreated(stats, created[ci++]!);
    while (ki < closed.length && closeTime(closed[ki]!) < at) {
      addClosed(stats, closed[ki++]!);
      sinceFit++;
    }
    if (t < first) continue;
    if (!effects || sinceFit >= refitEvery) {
      effects = fitCellEffects(stats);
      sinceFit = 0;
    }
    for (const p of d.partners) {
      const type = typeOf(p.id);
      if (!type) continue;
      const x = partnerFeatures({
        deal: d,
        at,
        partnerId: p.id,
        partnerType: type,
        record: stats.partners.get(p.id),
        timeline: timelines.get(p.id),
        company: stats.company,
        effects,
        account: null,
        asOf: true,
      });
      rows.push({ dealId: d.id, partnerId: p.id, at, x, won: d.status === 'won' ? 1 : 0 });
    }
  }
  return rows;
}
