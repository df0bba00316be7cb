import type { PartnerType } from '../tenancy/tenancy.ts';
import { dayMs, isClosed, type HistoryDeal } from './deal-history.ts';
import {
  countBefore,
  cycleDays,
  log10Amount,
  type CompanyRecord,
  type PartnerRecord,
  type Tally,
} from './partner-stats.ts';

/** The signals a ranking weighs, in the order of the weight vector. */
export const featureNames = [
  'bias',
  'winRate',
  'segmentWinRate',
  'customerIsTheirCustomer',
  'customerInTheirPipeline',
  'segmentFit',
  'industryFit',
  'regionFit',
  'motionFit',
  'dealSizeFit',
  'cycleTime',
  'activated',
  'openLoad',
] as const;
export type FeatureName = (typeof featureNames)[number];

/**
 * What the ranking uses while the company's own history is thin (and shrinks toward after):
 * a partner's record counts most, then the customer being theirs, fit, and activity.
 */
export const priorWeights: Record<FeatureName, number> = {
  bias: -0.8,
  winRate: 0.7,
  segmentWinRate: 0.7,
  customerIsTheirCustomer: 0.6,
  customerInTheirPipeline: 0.3,
  segmentFit: 0.3,
  industryFit: 0.2,
  regionFit: 0.2,
  motionFit: 0.4,
  dealSizeFit: 0.15,
  cycleTime: -0.2,
  activated: 0.3,
  openLoad: -0.1,
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
  partnerType: PartnerType;
  record: PartnerRecord | undefined;
  company: CompanyRecord;
  account: AccountSignal;
  /** In training, the deal itself: left out of the partner's record (no peeking at the label). */
  self?: HistoryDeal;
}

/** Smoothing: a partner with few closed deals is pulled toward the baseline by this many deals. */
const prior_n = 5;

function logit(p: number): number {
  const q = Math.min(0.99, Math.max(0.01, p));
  return Math.log(q / (1 - q));
}

function rate(t: Tally | undefined, base: number): number {
  return ((t?.won ?? 0) + prior_n * base) / ((t?.n ?? 0) + prior_n);
}

function minus(t: Tally | undefined, self: HistoryDeal | undefined, applies: boolean): Tally {
  const n = t?.n ?? 0;
  const won = t?.won ?? 0;
  if (!self || !applies || !isClosed(self)) return { n, won };
  return { n: n - 1, won: won - (self.status === 'won' ? 1 : 0) };
}

function share(m: Map<string, number>, key: string | null, total: number, self: boolean): number {
  if (key === null) return 0;
  const count = (m.get(key) ?? 0) - (self ? 1 : 0);
  const n = total - (self ? 1 : 0);
  return n > 0 ? count / n : 0;
}

/** The company's win rate overall and in the deal's segment: what "better than usual" means. */
export function baseRates(company: CompanyRecord, segment: string | null) {
  const overall = rate(company.closed, 0.3);
  const seg = rate(segment === null ? undefined : company.bySegment.get(segment), overall);
  return { overall, segment: seg };
}

/** The feature vector for one partner on one deal; `self` is left out of the partner's record. */
export function partnerFeatures(input: FeatureInput): Float64Array {
  const { deal, record: r, self, at } = input;
  const base = baseRates(input.company, deal.segment);
  const inSeg = self !== undefined && self.segment === deal.segment && deal.segment !== null;
  const closed = minus(r?.closed, self, true);
  const overall = rate(closed, base.overall);
  const segTally = minus(
    deal.segment === null ? undefined : r?.bySegment.get(deal.segment),
    self,
    inSeg,
  );
  const segRate = rate(segTally, overall);
  const deals = r?.deals ?? 0;
  const selfWon = self?.status === 'won';
  const wonN = closed.won;
  const wonLogSum = (r?.wonLog10Sum ?? 0) - (selfWon ? log10Amount(self.amount) : 0);
  const selfCycle = self ? cycleDays(self) : null;
  const cycleN = (r?.cycleN ?? 0) - (selfCycle !== null ? 1 : 0);
  const cycleSum = (r?.cycleDaysSum ?? 0) - (selfCycle ?? 0);
  const wonTimes = r?.wonTimes ?? [];
  // As of `at`: a won deal in the 90 days before, or (now only) a step done on an open deal lately.
  const wonLately = countBefore(wonTimes, at) - countBefore(wonTimes, at - 90 * dayMs) > 0;
  const activeLately =
    !self && r?.lastStepDoneOnOpen !== null && (r?.lastStepDoneOnOpen ?? 0) >= at - 30 * dayMs;
  const open = self
    ? countBefore(r?.createdTimes ?? [], at) - countBefore(r?.closedTimes ?? [], at)
    : (r?.open ?? 0);
  const x = new Float64Array(featureNames.length);
  x[0] = 1;
  x[1] = logit(overall) - logit(base.overall);
  x[2] = logit(segRate) - logit(base.segment);
  x[3] = input.account === 'customer' ? 1 : 0;
  x[4] = input.account === 'opportunity' || input.account === 'prospect' ? 1 : 0;
  x[5] = r ? share(r.segmentDeals, deal.segment, deals, self !== undefined) : 0;
  x[6] = r ? share(r.industryDeals, deal.industry, deals, self !== undefined) : 0;
  x[7] = r ? share(r.countryDeals, deal.country, deals, self !== undefined) : 0;
  x[8] = fitsMotion(input.partnerType, deal.motion) ? 1 : 0;
  // A draft without an amount says nothing about size fit, for any partner.
  x[9] =
    deal.amount <= 0
      ? 0
      : wonN > 0
        ? -Math.min(3, Math.abs(log10Amount(deal.amount) - wonLogSum / wonN))
        : -0.5;
  x[10] =
    cycleN > 0
      ? Math.max(
          -2,
          Math.min(2, Math.log(Math.max(1, cycleSum / cycleN) / input.company.avgCycleDays)),
        )
      : 0;
  x[11] = wonLately || activeLately ? 1 : 0;
  x[12] = Math.log1p(Math.max(0, open));
  return x;
}
