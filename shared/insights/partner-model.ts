import type { PartnerType } from '../tenancy/tenancy.ts';
import { isClosed, type HistoryDeal } from './deal-history.ts';
import { fitLogistic } from './logistic-regression.ts';
import {
  featureNames,
  partnerFeatures,
  priorWeights,
  type AccountSignal,
} from './partner-features.ts';
import type { HistoryStats } from './partner-stats.ts';

/** The weights a company's rankings use, and where they came from. */
export interface PartnerModel {
  weights: number[];
  prior: number[];
  /** (deal, partner) pairs of closed deals the weights were fitted on. */
  trainingRows: number;
  /** `prior` while history is too thin to learn from; then `learned` (fitted, shrunk toward the prior). */
  source: 'prior' | 'learned';
}

export interface TrainOptions {
  /** Below this many closed (deal, partner) pairs, the prior is used as is. */
  minRows?: number;
  /** The most recent pairs used: enough to learn a dozen weights, bounded so a refresh stays fast. */
  maxRows?: number;
  /** Pull toward the prior, in rows' worth of evidence. */
  lambda?: number;
}

export interface TrainContext {
  typeOf(partnerId: string): PartnerType | undefined;
  accountOf(partnerId: string, domain: string | null): AccountSignal;
}

export const defaultPrior = featureNames.map((f) => priorWeights[f]);

/**
 * Fits the weights on the company's closed deals: one row per (deal, partner that took part),
 * labelled won or lost, each partner's record taken without the deal itself.
 */
export function trainModel(
  deals: readonly HistoryDeal[],
  stats: HistoryStats,
  context: TrainContext,
  options: TrainOptions = {},
): PartnerModel {
  const { minRows = 30, maxRows = 40_000, lambda = 20 } = options;
  const closed = deals
    .filter((d) => isClosed(d) && d.partners.length > 0)
    .sort((a, b) => b.closedAt! - a.closedAt! || (a.id < b.id ? -1 : 1));
  const rows: Float64Array[] = [];
  const labels: number[] = [];
  for (const d of closed) {
    for (const p of d.partners) {
      const type = context.typeOf(p.id);
      if (!type) continue;
      rows.push(
        partnerFeatures({
          deal: d,
          at: d.createdAt,
          partnerType: type,
          record: stats.partners.get(p.id),
          company: stats.company,
          account: context.accountOf(p.id, d.domain),
          self: d,
        }),
      );
      labels.push(d.status === 'won' ? 1 : 0);
    }
    if (rows.length >= maxRows) break;
  }
  if (rows.length < minRows)
    return {
      weights: [...defaultPrior],
      prior: [...defaultPrior],
      trainingRows: rows.length,
      source: 'prior',
    };
  const weights = fitLogistic(rows, labels, { prior: defaultPrior, lambda });
  return { weights, prior: [...defaultPrior], trainingRows: rows.length, source: 'learned' };
}
