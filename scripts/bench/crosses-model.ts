import type { HistoryDeal } from '../../shared/insights/deal-history.ts';
import { dot, sigmoid } from '../../shared/insights/logistic-regression.ts';
import { defaultPrior } from '../../shared/insights/partner-model.ts';
import { featureNames } from '../../shared/insights/partner-features.ts';
import type { TrainingRow } from '../../shared/insights/training-rows.ts';

/**
 * The second model family compared on the planted worlds: one logistic regression with one-hot
 * crosses partner, partner × segment, partner × industry and partner × segment × industry next to
 * the dense features, each cross level with its own L2 penalty (a regularised-crosses model),
 * fitted by cyclic coordinate Newton steps. The empirical-Bayes cell feature is left out (the
 * crosses stand in for it).
 */
export interface CrossesModel {
  weights: number[];
  crosses: Map<string, number>;
}

/** Penalties per level, in rows' worth of evidence: deeper crosses are pulled harder to 0. */
export const crossPenalty = { p: 3, ps: 8, pi: 8, pc: 15 };
const cellRecord = featureNames.indexOf('cellRecord');

export function crossKeys(partnerId: string, segment: string | null, industry: string | null) {
  const keys = [`p:${partnerId}`];
  if (segment !== null) keys.push(`ps:${partnerId}|${segment}`);
  if (industry !== null) keys.push(`pi:${partnerId}|${industry}`);
  if (segment !== null && industry !== null) keys.push(`pc:${partnerId}|${segment}|${industry}`);
  return keys;
}

const levelOf = (key: string) => key.slice(0, key.indexOf(':')) as keyof typeof crossPenalty;

export function fitCrosses(
  rows: readonly TrainingRow[],
  dealOf: (id: string) => HistoryDeal,
  options: { passes?: number; lambda?: number; scale?: number } = {},
): CrossesModel {
  const { passes = 25, lambda = 20, scale = 1 } = options;
  const xs = rows.map((r) => {
    const x = Float64Array.from(r.x);
    x[cellRecord] = 0;
    return x;
  });
  const w = [...defaultPrior];
  w[cellRecord] = 0;
  const members = new Map<string, number[]>();
  rows.forEach((r, k) => {
    const d = dealOf(r.dealId);
    for (const key of crossKeys(r.partnerId, d.segment, d.industry)) {
      const list = members.get(key) ?? [];
      list.push(k);
      members.set(key, list);
    }
  });
  const v = new Map([...members.keys()].map((k) => [k, 0]));
  const margin = xs.map((x) => dot(w, x));
  for (let pass = 0; pass < passes; pass++) {
    for (let j = 0; j < w.length; j++) {
      if (j === cellRecord) continue;
      let g = -lambda * (w[j]! - defaultPrior[j]!);
      let h = lambda;
      for (let k = 0; k < xs.length; k++) {
        const xj = xs[k]![j]!;
        if (xj === 0) continue;
        const p = sigmoid(margin[k]!);
        g += (rows[k]!.won - p) * xj;
        h += p * (1 - p) * xj * xj;
      }
      const step = g / h;
      w[j]! += step;
      for (let k = 0; k < xs.length; k++) margin[k]! += step * xs[k]![j]!;
    }
    for (const [key, list] of members) {
      const lam = crossPenalty[levelOf(key)] * scale;
      let g = -lam * v.get(key)!;
      let h = lam;
      for (const k of list) {
        const p = sigmoid(margin[k]!);
        g += rows[k]!.won - p;
        h += p * (1 - p);
      }
      const step = g / h;
      v.set(key, v.get(key)! + step);
      for (const k of list) margin[k]! += step;
    }
  }
  return { weights: w, crosses: v };
}

/** The model's probability for a partner on a deal, from the dense features and its crosses. */
export function crossesProbability(
  model: CrossesModel,
  x: Float64Array,
  partnerId: string,
  deal: { segment: string | null; industry: string | null },
): number {
  let z = 0;
  for (let j = 0; j < x.length; j++) if (j !== cellRecord) z += model.weights[j]! * x[j]!;
  for (const key of crossKeys(partnerId, deal.segment, deal.industry))
    z += model.crosses.get(key) ?? 0;
  return sigmoid(z);
}
