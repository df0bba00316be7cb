import type { PartnerType } from '../tenancy/tenancy.ts';
import { dot, sigmoid } from './logistic-regression.ts';
import {
  dealContext,
  featureNames,
  partnerFeatures,
  type AccountSignal,
  type DealShape,
  type FeatureName,
} from './partner-features.ts';
import type { PartnerModel } from './partner-model.ts';
import type { HistoryStats } from './partner-stats.ts';

export interface Candidate {
  id: string;
  type: PartnerType;
  /** What the partner lets the company see of its accounts; only `accounts` yields a signal. */
  sharing: 'none' | 'counts' | 'accounts';
  account: AccountSignal;
}

export interface Ranked {
  partnerId: string;
  probability: number;
  /** The feature vector, in featureNames order. */
  x: Float64Array;
}

export interface Signal {
  name: FeatureName;
  value: number;
  /** Its part of the score (weight × value, log-odds). */
  contribution: number;
  /** Its part of the score beyond the candidates' average: what sets this partner apart. */
  relative: number;
}

/** Each signal's value and part in the score: built only for the partners shown. */
export function signalsOf(model: PartnerModel, x: Float64Array, mean: Float64Array): Signal[] {
  return featureNames.map((name, i) => ({
    name,
    value: x[i]!,
    contribution: model.weights[i]! * x[i]!,
    relative: model.weights[i]! * (x[i]! - mean[i]!),
  }));
}

/**
 * Ranks candidates by estimated probability of winning the deal with each, highest first (ties by
 * id, so the order is stable), with the candidates' mean feature vector to explain against.
 * O(partners × features): every history question was answered by the precomputed stats.
 */
export function rankPartners(
  deal: DealShape,
  at: number,
  candidates: readonly Candidate[],
  stats: HistoryStats,
  model: PartnerModel,
): { baseline: number; ranked: Ranked[]; mean: Float64Array } {
  const mean = new Float64Array(featureNames.length);
  const context = dealContext(stats.company, deal);
  const ranked = candidates.map((c) => {
    const x = partnerFeatures({
      deal,
      at,
      partnerId: c.id,
      partnerType: c.type,
      record: stats.partners.get(c.id),
      timeline: stats.timelines.get(c.id),
      company: stats.company,
      effects: model.effects,
      account: c.sharing === 'accounts' ? c.account : null,
      context,
    });
    for (let i = 0; i < x.length; i++) mean[i]! += x[i]! / candidates.length;
    return { partnerId: c.id, probability: sigmoid(dot(model.weights, x)), x };
  });
  ranked.sort(
    (a, b) =>
      b.probability - a.probability ||
      (a.partnerId < b.partnerId ? -1 : a.partnerId > b.partnerId ? 1 : 0),
  );
  return { baseline: sigmoid(context.base), ranked, mean };
}
