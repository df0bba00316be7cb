import type { PartnerType } from '../tenancy/tenancy.ts';
import { fitCellEffects, type CellEffects } from './cell-effects.ts';
import type { HistoryDeal } from './deal-history.ts';
import { fitLogistic } from './logistic-regression.ts';
import { featureNames, priorWeights, weightSigns } from './partner-features.ts';
import type { HistoryStats } from './partner-stats.ts';
import { trainingRows, type RowOptions } from './training-rows.ts';

/** The weights a company's rankings use, the partner effects they read, and where they came from. */
export interface PartnerModel {
  weights: number[];
  prior: number[];
  /** Each partner's shrunk effect by segment, industry and cell, fitted on every closed deal. */
  effects: CellEffects;
  /** (deal, partner) pairs of closed deals the weights were fitted on. */
  trainingRows: number;
  /** `prior` while history is too thin to learn from; then `learned` (fitted, shrunk toward the prior). */
  source: 'prior' | 'learned';
}

export interface TrainOptions extends RowOptions {
  /** Below this many closed (deal, partner) pairs, the prior is used as is. */
  minRows?: number;
  /** Pull toward the prior, in rows' worth of evidence. */
  lambda?: number;
}

export const defaultPrior = featureNames.map((f) => priorWeights[f]);

/**
 * Fits the weights on the company's closed deals, one row per (deal, partner that took part),
 * each described only by what was known when the deal was created (see trainingRows), and the
 * partner effects on the whole history for rankings from now on.
 */
export function trainModel(
  deals: readonly HistoryDeal[],
  stats: HistoryStats,
  typeOf: (partnerId: string) => PartnerType | undefined,
  options: TrainOptions = {},
): PartnerModel {
  const { minRows = 30, lambda = 20 } = options;
  const effects = fitCellEffects(stats);
  const rows = trainingRows(deals, stats.timelines, typeOf, {
    maxRows: options.maxRows,
    refitEvery: options.refitEvery ?? Math.max(250, Math.round(stats.company.closed.n / 20)),
  });
  const prior = [...defaultPrior];
  if (rows.length < minRows)
    return { weights: [...prior], prior, effects, trainingRows: rows.length, source: 'prior' };
  const weights = fitSigned(
    rows.map((r) => r.x),
    rows.map((r) => r.won),
    prior,
    lambda,
  );
  return { weights, prior, effects, trainingRows: rows.length, source: 'learned' };
}

/**
 * Fits, then drops each signal whose weight came out against its sign (weight 0, column out) and
 * fits again, until every weight keeps its sign.
 */
function fitSigned(
  rows: Float64Array[],
  labels: number[],
  prior: number[],
  lambda: number,
): number[] {
  const dropped = new Set<number>();
  for (;;) {
    const p = prior.map((w, j) => (dropped.has(j) ? 0 : w));
    const xs =
      dropped.size === 0 ? rows : rows.map((x) => x.map((v, j) => (dropped.has(j) ? 0 : v)));
    const w = fitLogistic(xs, labels, { prior: p, lambda });
    const wrong = featureNames.flatMap((f, j) => {
      const sign = weightSigns[f];
      return sign !== undefined && !dropped.has(j) && w[j]! * sign < 0 ? [j] : [];
    });
    if (wrong.length === 0) return w;
    for (const j of wrong) dropped.add(j);
  }
}
