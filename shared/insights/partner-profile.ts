import { z } from 'zod';
import { segments } from '../opportunities/opportunity-fields.ts';
import { partnerTypes } from '../tenancy/tenancy.ts';

/** Dimensions Tandem measures itself; any other key is the company's own, with values set by hand. */
export const builtinDimensions = [
  'account_overlap',
  'segment_fit',
  'motion_fit',
  'selling_capacity',
] as const;

export const buckets = ['recruit', 'nurture', 'pass'] as const;
export type Bucket = (typeof buckets)[number];

const dimensionKey = z
  .string()
  .regex(/^[a-z][a-z0-9_]{0,39}$/, { error: 'lower-case letters, digits and _' });

/** An ideal partner profile: for one partner type, weighted dimensions and bucket thresholds. */
export const profileInput = z
  .strictObject({
    partnerType: z.enum(partnerTypes),
    dimensions: z
      .array(z.strictObject({ key: dimensionKey, weight: z.number().min(0).max(100) }))
      .min(1)
      .max(20)
      .describe(`weights of ${builtinDimensions.join(', ')} and your own dimensions`),
    thresholds: z
      .strictObject({ recruit: z.number().min(0).max(1), nurture: z.number().min(0).max(1) })
      .describe(
        'a score at or above `recruit` is recruit, at or above `nurture` nurture, else pass',
      ),
    targetSegments: z.array(z.enum(segments)).default([]).describe('segments that count as fit'),
    capacityTarget: z
      .number()
      .int()
      .min(1)
      .max(100_000)
      .default(20)
      .describe('deals a year with you that count as full selling capacity'),
  })
  .superRefine((p, ctx) => {
    const keys = p.dimensions.map((d) => d.key);
    keys.forEach((k, i) => {
      if (keys.indexOf(k) !== i)
        ctx.addIssue({ code: 'custom', path: ['dimensions', i, 'key'], message: 'appears twice' });
    });
    if (p.dimensions.every((d) => d.weight === 0))
      ctx.addIssue({
        code: 'custom',
        path: ['dimensions'],
        message: 'give some dimension a weight',
      });
    if (p.thresholds.nurture > p.thresholds.recruit)
      ctx.addIssue({
        code: 'custom',
        path: ['thresholds', 'nurture'],
        message: 'must not be above recruit',
      });
  });
export type PartnerProfile = z.output<typeof profileInput>;

/** One company's measured (or hand-set) value of each dimension, 0…1; null when unknown. */
export type DimensionValues = Record<string, number | null>;

export function scoreProfile(profile: PartnerProfile, values: DimensionValues) {
  const total = profile.dimensions.reduce((s, d) => s + d.weight, 0);
  let score = 0;
  const unknown: string[] = [];
  for (const d of profile.dimensions) {
    const v = values[d.key] ?? null;
    // Unknown counts as zero, and says so: a partner that shares nothing cannot score on overlap.
    if (v === null) unknown.push(d.key);
    score += (d.weight / total) * Math.min(1, Math.max(0, v ?? 0));
  }
  const bucket: Bucket =
    score >= profile.thresholds.recruit
      ? 'recruit'
      : score >= profile.thresholds.nurture
        ? 'nurture'
        : 'pass';
  return { score, bucket, unknown };
}

function ranks(xs: readonly number[]): number[] {
  const order = xs.map((x, i) => [x, i] as const).sort((a, b) => a[0] - b[0]);
  const r = new Array<number>(xs.length);
  for (let i = 0; i < order.length;) {
    let j = i;
    while (j + 1 < order.length && order[j + 1]![0] === order[i]![0]) j++;
    for (let k = i; k <= j; k++) r[order[k]![1]] = (i + j) / 2;
    i = j + 1;
  }
  return r;
}

function pearson(a: readonly number[], b: readonly number[]): number | null {
  const n = a.length;
  if (n < 3) return null;
  const ma = a.reduce((s, x) => s + x, 0) / n;
  const mb = b.reduce((s, x) => s + x, 0) / n;
  let num = 0;
  let da = 0;
  let db = 0;
  for (let i = 0; i < n; i++) {
    num += (a[i]! - ma) * (b[i]! - mb);
    da += (a[i]! - ma) ** 2;
    db += (b[i]! - mb) ** 2;
  }
  return da === 0 || db === 0 ? null : num / Math.sqrt(da * db);
}

/** Rank correlation; null with fewer than three subjects or no spread. */
export function spearman(a: readonly number[], b: readonly number[]): number | null {
  return pearson(ranks(a), ranks(b));
}

/**
 * Compares profile scores with what partners actually produced, and proposes weights: half the
 * current weights, half in proportion to how well each dimension ranks partners by production
 * (dimensions that rank them backwards or not at all get nothing from that half). With no
 * dimension that ranks them well, the current weights stand.
 */
export function reviewProfile(
  profile: PartnerProfile,
  subjects: readonly { values: DimensionValues; production: number }[],
) {
  const production = subjects.map((s) => s.production);
  const scores = subjects.map((s) => scoreProfile(profile, s.values).score);
  const total = profile.dimensions.reduce((s, d) => s + d.weight, 0);
  const perDimension = profile.dimensions.map((d) => ({
    key: d.key,
    weight: d.weight,
    correlation: spearman(
      subjects.map((s) => s.values[d.key] ?? 0),
      production,
    ),
  }));
  const evidence = perDimension.map((d) => Math.max(0, d.correlation ?? 0));
  const evidenceTotal = evidence.reduce((s, x) => s + x, 0);
  return {
    subjects: subjects.length,
    scoreVsProduction: spearman(scores, production),
    dimensions: perDimension.map((d, i) => ({
      ...d,
      proposed:
        evidenceTotal === 0
          ? d.weight
          : Math.round(
              (0.5 * (d.weight / total) + 0.5 * (evidence[i]! / evidenceTotal)) * total * 100,
            ) / 100,
    })),
  };
}
