import { convertMinor } from './exchange.ts';

/**
 * Money in one reporting currency. A company's deals come in many currencies; its figures
 * (program health, pipeline totals) are summed in one. The only rates Tandem holds are the ones
 * frozen at close: an attribution statement carries, per company that reports in another
 * currency, the rate from the deal's currency into it (shared/attribution/statement.ts). So:
 *
 * - a deal in the reporting currency counts as it is (`same`);
 * - a closed deal whose own attribution froze a rate into the reporting currency is converted at
 *   it (`frozen`);
 * - a closed deal without one (no attribution, or one with no rate into this currency) is
 *   converted at the rate frozen at the nearest close of another deal in the same currency
 *   (`nearest`: ties go to the earlier close, then the smaller deal id);
 * - an open deal (no close, no frozen rate) is converted at the latest rate frozen for its
 *   currency (`latest`);
 * - a deal in a currency no attribution ever froze a rate for is left out of the converted
 *   figures and counted apart (`none`), never dropped silently.
 *
 * Every choice depends on the deal and the set of rates, not on the order either comes in, so a
 * converted sum is the same whatever order the deals are read in.
 */

/** A rate frozen at one deal's close: units of `to` per unit of `from` (see rateSchema). */
export interface FrozenRate {
  dealId: string;
  from: string;
  to: string;
  rate: string;
  /** The close it was frozen at, ms since the epoch. */
  at: number;
}

export const conversionBases = ['same', 'frozen', 'nearest', 'latest', 'none'] as const;
export type ConversionBasis = (typeof conversionBases)[number];

/** What a deal is worth in the reporting currency, and on what basis. */
export interface Converted {
  /** Minor units of the reporting currency; null when there is no rate (`none`). */
  amountMinor: number | null;
  basis: ConversionBasis;
  /** The rate used, as frozen; null for `same` and `none`. */
  rate: string | null;
  /** The deal whose close froze the rate used (itself for `frozen`). */
  rateFrom: string | null;
}

export interface ConvertibleDeal {
  id: string;
  currency: string;
  amountMinor: number;
  /** The close, ms; null for an open deal. */
  closedAt: number | null;
}

/** The plain-words rule, for pages and answers that show converted figures. */
export function conversionRule(currency: string): string {
  return (
    `Money is in ${currency}. A closed deal in another currency is converted at the rate frozen ` +
    `at its close (its attribution's rate into ${currency}); one with no rate of its own, at the ` +
    `rate frozen at the nearest close of another deal in its currency; an open deal, at the ` +
    `latest rate frozen for its currency. A deal in a currency with no frozen rate into ` +
    `${currency} is left out of the converted figures and counted apart.`
  );
}

const byTimeThenId = (a: FrozenRate, b: FrozenRate) =>
  a.at - b.at || (a.dealId < b.dealId ? -1 : a.dealId > b.dealId ? 1 : 0) || cmp(a.rate, b.rate);
const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** The frozen rates into one reporting currency, by deal and by source currency. */
export class RateBook {
  readonly currency: string;
  /** A deal's own rate (the first by rate text when it was given more than one). */
  private readonly own = new Map<string, FrozenRate>();
  /** Per source currency, the rates in close order (ties by deal id, then rate). */
  private readonly byCurrency = new Map<string, FrozenRate[]>();

  constructor(currency: string, rates: Iterable<FrozenRate>) {
    this.currency = currency;
    for (const r of rates) {
      if (r.to !== currency || r.from === currency) continue;
      const mine = this.own.get(r.dealId);
      if (!mine || cmp(r.rate, mine.rate) < 0) this.own.set(r.dealId, r);
    }
    for (const r of this.own.values()) {
      const list = this.byCurrency.get(r.from) ?? [];
      list.push(r);
      this.byCurrency.set(r.from, list);
    }
    for (const list of this.byCurrency.values()) list.sort(byTimeThenId);
  }

  /** The currencies some deal froze a rate from into the reporting currency. */
  currenciesWithRates(): string[] {
    return [...this.byCurrency.keys()].sort();
  }

  /** The rate a deal converts at, and why (see the module comment). */
  rateFor(deal: Omit<ConvertibleDeal, 'amountMinor'>): {
    basis: ConversionBasis;
    rate: FrozenRate | null;
  } {
    if (deal.currency === this.currency) return { basis: 'same', rate: null };
    const own = this.own.get(deal.id);
    if (own && own.from === deal.currency && deal.closedAt !== null)
      return { basis: 'frozen', rate: own };
    const list = this.byCurrency.get(deal.currency);
    if (!list || list.length === 0) return { basis: 'none', rate: null };
    if (deal.closedAt === null) return { basis: 'latest', rate: latest(list) };
    return { basis: 'nearest', rate: nearest(list, deal.closedAt) };
  }

  convert(deal: ConvertibleDeal): Converted {
    const { basis, rate } = this.rateFor(deal);
    if (basis === 'same')
      return { amountMinor: deal.amountMinor, basis, rate: null, rateFrom: null };
    if (!rate) return { amountMinor: null, basis, rate: null, rateFrom: null };
    return {
      amountMinor: convertMinor(deal.amountMinor, deal.currency, this.currency, rate.rate),
      basis,
      rate: rate.rate,
      rateFrom: rate.dealId,
    };
  }
}

/** The last in close order: the latest close, then the largest deal id, then rate. */
function latest(list: readonly FrozenRate[]): FrozenRate {
  return list[list.length - 1]!;
}

/** The rate frozen nearest to `at`; on a tie the earlier close (then the smaller deal id). */
function nearest(list: readonly FrozenRate[], at: number): FrozenRate {
  // First index whose close is at or after `at`.
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (list[mid]!.at < at) lo = mid + 1;
    else hi = mid;
  }
  const after = list[lo];
  if (lo === 0) return after!;
  // The last rate of the closest earlier close: the first of that close's group.
  let before = lo - 1;
  const beforeAt = list[before]!.at;
  while (before > 0 && list[before - 1]!.at === beforeAt) before--;
  if (!after) return list[before]!;
  return at - beforeAt <= after.at - at ? list[before]! : after;
}

/** Per-currency sums of the deals left out (no rate), and counts by basis. */
export interface ConversionTally {
  /** Sum of the converted amounts, minor units of the reporting currency. */
  totalMinor: number;
  count: number;
  byBasis: Record<ConversionBasis, number>;
  /** Deals with no rate, per currency: how many and their sum in that currency (minor units). */
  leftOut: { currency: string; count: number; amountMinor: number }[];
}

export function emptyTally(): ConversionTally {
  return {
    totalMinor: 0,
    count: 0,
    byBasis: { same: 0, frozen: 0, nearest: 0, latest: 0, none: 0 },
    leftOut: [],
  };
}

/**
 * Converts and sums deals into the book's currency; the deals left out are tallied per currency.
 * Sums are exact (integers, added as BigInt), so the result does not depend on the deals' order.
 */
export function tally(deals: Iterable<ConvertibleDeal>, book: RateBook): ConversionTally {
  let total = 0n;
  const out = emptyTally();
  const leftOut = new Map<string, { count: number; amount: bigint }>();
  for (const d of deals) {
    const c = book.convert(d);
    out.count++;
    out.byBasis[c.basis]++;
    if (c.amountMinor !== null) total += BigInt(c.amountMinor);
    else {
      const e = leftOut.get(d.currency) ?? { count: 0, amount: 0n };
      e.count++;
      e.amount += BigInt(d.amountMinor);
      leftOut.set(d.currency, e);
    }
  }
  out.totalMinor = safe(total);
  out.leftOut = [...leftOut]
    .sort(([a], [b]) => cmp(a, b))
    .map(([currency, e]) => ({ currency, count: e.count, amountMinor: safe(e.amount) }));
  return out;
}

function safe(n: bigint): number {
  if (n > BigInt(Number.MAX_SAFE_INTEGER) || n < BigInt(Number.MIN_SAFE_INTEGER))
    throw new RangeError(`a total of ${n} minor units is beyond the safe integers`);
  return Number(n);
}

/** The currency most deals are in (ties: the first code alphabetically); `fallback` when none. */
export function mostUsedCurrency(counts: Iterable<[string, number]>, fallback = 'USD'): string {
  return (
    [...counts].sort((a, b) => b[1] - a[1] || cmp(a[0], b[0])).find(([, n]) => n > 0)?.[0] ??
    fallback
  );
}
