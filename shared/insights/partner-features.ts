import type { PartnerType } from '../tenancy/tenancy.ts';
import { dayMs } from './deal-history.ts';
import { baseLogit, partnerLift, type CellEffects } from './cell-effects.ts';
import {
  cellKey,
  companyCycle,
  countBefore,
  log10Amount,
  type CompanyRecord,
  type PartnerRecord,
  type PartnerTimeline,
} from './partner-stats.ts';

/** The signals a ranking weighs, in the order of the weight vector. */
export const featureNames = [
  'bias',
  'dealBase',
  'cellRecord',
  'customerIsTheirCustomer',
  'customerInTheirPipeline',
  'segmentFit',
  'industryFit',
  'regionFit',
  'cellFit',
  'motionFit',
  'dealSizeFit',
  'cycleTime',
  'activated',
  'openLoad',
] as const;
export type FeatureName = (typeof featureNames)[number];

/** Signals that are the same for every partner on a deal: they set the level, not the order. */
export const sharedFeatures: readonly FeatureName[] = ['bias', 'dealBase'];

/**
 * What the ranking uses while the company's own history is thin (and shrinks toward after): the
 * company's own rate where the deal falls plus the partner's shrunk record there, then the
 * customer being theirs, fit, and activity.
 */
export const priorWeights: Record<FeatureName, number> = {
  bias: 0,
  dealBase: 1,
  cellRecord: 1,
  customerIsTheirCustomer: 0.6,
  customerInTheirPipeline: 0.3,
  segmentFit: 0.2,
  industryFit: 0.2,
  regionFit: 0.1,
  cellFit: 0.2,
  motionFit: 0.2,
  dealSizeFit: 0.1,
  cycleTime: -0.2,
  activated: 0.3,
  openLoad: -0.1,
};

/**
 * The direction each signal may push, from what it means: the data may weaken a signal to nothing
 * but not turn it around (with a dozen partners, a partner-level signal flips sign on chance).
 */
export const weightSigns: Partial<Record<FeatureName, 1 | -1>> = {
  dealBase: 1,
  cellRecord: 1,
  customerIsTheirCustomer: 1,
  customerInTheirPipeline: 1,
  segmentFit: 1,
  industryFit: 1,
  regionFit: 1,
  cellFit: 1,
  motionFit: 1,
  dealSizeFit: 1,
  cycleTime: -1,
  activated: 1,
  openLoad: -1,
};

/** Which partner types fit which motion (design.md: partner types and motions). */
const motionFits: Record<PartnerType, readonly string[]> = {
  reseller: ['resell'],
  referral: ['referral'],
  oem: ['resell'],
  service: ['co_sell'],
  marketplace: ['marketplace'],
  technology: ['co_sell'],
};

export function fitsMotion(type: PartnerType, motion: string): boolean {
  return motionFits[type].includes(motion);
}

/** The fields of a deal (stored or a draft) that the ranking reads. */
export interface DealShape {
  segment: string | null;
  industry: string | null;
  country: string | null;
  amount: number;
  motion: string;
}

/** Where the customer stands in the partner's accounts, only as far as the partner shares it. */
export type AccountSignal = 'customer' | 'opportunity' | 'prospect' | null;

export interface FeatureInput {
  deal: DealShape;
  /** When the ranking is asked (for a past deal in training: when it was created). */
  at: number;
  partnerId: string;
  partnerType: PartnerType;
  /** The partner's record as of `at` (in training: only deals closed before it). */
  record: PartnerRecord | undefined;
  timeline: PartnerTimeline | undefined;
  company: CompanyRecord;
  effects: CellEffects;
  account: AccountSignal;
  /** A past deal: open load and activation are counted as of `at` from the timeline only. */
  asOf?: boolean;
  /** dealContext(company, deal), when the caller ranks many partners for one deal. */
  context?: DealContext;
}

/** Cycle times are a signal only once the history's dates spread like real sales cycles. */
export const minCycleSpreadDays = 7;

/** Until a partner has dozens of deals, its mix is read as mostly the company's own. */
const mixPull = 50;

/**
 * What a ranking needs of the deal and the company, the same for every partner: worked out once
 * per deal rather than once per partner.
 */
export interface DealContext {
  base: number;
  cell: string | null;
  /** The company's share of its deals with the deal's segment, industry, country, cell. */
  shares: { segment: number; industry: number; country: number; cell: number };
  /** The share of the company's deals open now (or as of the ranking). */
  openShare: number;
  cycle: { avgDays: number; spreadDays: number };
}

export function dealContext(company: CompanyRecord, deal: DealShape): DealContext {
  const cell = cellKey(deal.segment, deal.industry);
  const n = company.deals;
  const q = (m: Map<string, number>, k: string | null) =>
    k === null || n === 0 ? 0 : (m.get(k) ?? 0) / n;
  return {
    base: baseLogit(company, deal.segment, deal.industry),
    cell,
    shares: {
      segment: q(company.segmentDeals, deal.segment),
      industry: q(company.industryDeals, deal.industry),
      country: q(company.countryDeals, deal.country),
      cell: q(company.cellDeals, cell),
    },
    openShare: n > 0 ? (n - company.closed.n) / n : 0,
    cycle: companyCycle(company),
  };
}

/**
 * The share of the partner's deals with this segment (industry, country, cell), smoothed toward
 * the company's share `q` by `mixPull` pseudo-deals: one deal in a segment says little.
 */
function mixShare(
  theirs: Map<string, number> | undefined,
  total: number,
  key: string | null,
  q: number,
): number {
  if (key === null || q === 0) return 0;
  return ((theirs?.get(key) ?? 0) + mixPull * q) / (total + mixPull);
}

/** The feature vector for one partner on one deal. */
export function partnerFeatures(input: FeatureInput): Float64Array {
  const { deal, record: r, timeline: t, at, company } = input;
  const deals = r?.deals ?? 0;
  const wonN = r?.closed.won ?? 0;
  const wonTimes = t?.wonTimes ?? [];
  // As of `at`: a won deal in the 90 days before, or (now only) a step done on an open deal lately.
  const wonLately = countBefore(wonTimes, at) - countBefore(wonTimes, at - 90 * dayMs) > 0;
  const activeLately =
    !input.asOf && (t?.lastStepDoneOnOpen ?? Number.NEGATIVE_INFINITY) >= at - 30 * dayMs;
  const open = input.asOf
    ? countBefore(t?.createdTimes ?? [], at) - countBefore(t?.closedTimes ?? [], at)
    : deals - (r?.closed.n ?? 0);
  const cycleN = r?.cycleN ?? 0;
  const k = input.context ?? dealContext(company, deal);
  const cycle = k.cycle;
  const x = new Float64Array(featureNames.length);
  x[0] = 1;
  x[1] = k.base;
  x[2] = partnerLift(input.effects, input.partnerId, deal.segment, deal.industry, k.cell);
  x[3] = input.account === 'customer' ? 1 : 0;
  x[4] = input.account === 'opportunity' || input.account === 'prospect' ? 1 : 0;
  x[5] = mixShare(r?.segmentDeals, deals, deal.segment, k.shares.segment);
  x[6] = mixShare(r?.industryDeals, deals, deal.industry, k.shares.industry);
  x[7] = mixShare(r?.countryDeals, deals, deal.country, k.shares.country);
  // How much more of the partner's deals fall in the deal's cell than the company's (log ratio).
  const cellShare = mixShare(r?.cellDeals, deals, k.cell, k.shares.cell);
  x[8] = cellShare > 0 ? Math.max(-2, Math.min(2, Math.log(cellShare / k.shares.cell))) : 0;
  x[9] = fitsMotion(input.partnerType, deal.motion) ? 1 : 0;
  // A draft without an amount says nothing about size fit, for any partner.
  x[10] =
    deal.amount <= 0 || !r
      ? 0
      : wonN > 0
        ? -Math.min(3, Math.abs(log10Amount(deal.amount) - r.wonLog10Sum / wonN))
        : -0.5;
  x[11] =
    cycleN > 0 && cycle.spreadDays >= minCycleSpreadDays
      ? Math.max(
          -2,
          Math.min(2, Math.log(Math.max(1, r!.cycleDaysSum / cycleN) / Math.max(1, cycle.avgDays))),
        )
      : 0;
  x[12] = wonLately || activeLately ? 1 : 0;
  // Open deals beyond what its volume with the company would carry: a stretched partner, not a
  // busy one (a raw count would favour paper partners, which carry nothing).
  const usualOpen =
    company.deals > 0 ? (deals * (company.deals - company.closed.n)) / company.deals : 0;
  x[13] = Math.log((Math.max(0, open) + 1) / (usualOpen + 1));
  return x;
}
