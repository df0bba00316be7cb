import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { reviewProfile, scoreProfile, spearman, type PartnerProfile } from './partner-profile.ts';

const profile: PartnerProfile = {
  partnerType: 'reseller',
  dimensions: [
    { key: 'account_overlap', weight: 2 },
    { key: 'segment_fit', weight: 1 },
    { key: 'certified_staff', weight: 1 },
  ],
  thresholds: { recruit: 0.7, nurture: 0.4 },
  targetSegments: [],
  capacityTarget: 20,
};
const value = fc.option(fc.double({ min: 0, max: 1, noNaN: true }), { nil: null });

describe('partner profile scoring', () => {
  it('scores between 0 and 1 and buckets by the thresholds', () => {
    fc.assert(
      fc.property(value, value, value, (a, b, c) => {
        const { score, bucket } = scoreProfile(profile, {
          account_overlap: a,
          segment_fit: b,
          certified_staff: c,
        });
        expect(score).toBeGreaterThanOrEqual(0);
        expect(score).toBeLessThanOrEqual(1 + 1e-12);
        expect(bucket).toBe(score >= 0.7 ? 'recruit' : score >= 0.4 ? 'nurture' : 'pass');
      }),
    );
  });

  it('weighs dimensions by their share of the weights and names the unknown ones', () => {
    const r = scoreProfile(profile, {
      account_overlap: 1,
      segment_fit: null,
      certified_staff: 0.5,
    });
    expect(r.score).toBeCloseTo(0.5 + 0.125, 12);
    expect(r.bucket).toBe('nurture');
    expect(r.unknown).toEqual(['segment_fit']);
  });

  it('proposes more weight for the dimension that ranks partners by production', () => {
    const subjects = [0.1, 0.4, 0.6, 0.9, 0.95].map((v, i) => ({
      values: { account_overlap: 1 - v, segment_fit: v, certified_staff: 0.5 },
      production: (i + 1) * 1000,
    }));
    const review = reviewProfile(profile, subjects);
    const seg = review.dimensions.find((d) => d.key === 'segment_fit')!;
    const overlap = review.dimensions.find((d) => d.key === 'account_overlap')!;
    expect(seg.correlation).toBeCloseTo(1, 12);
    expect(seg.proposed).toBeGreaterThan(seg.weight);
    expect(overlap.proposed).toBeLessThan(overlap.weight);
    const sum = review.dimensions.reduce((s, d) => s + d.proposed, 0);
    expect(sum).toBeCloseTo(4, 1);
  });

  it('has a rank correlation that is symmetric and within [-1, 1]', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer(), fc.integer()), { minLength: 3, maxLength: 30 }),
        (pairs) => {
          const a = pairs.map((p) => p[0]);
          const b = pairs.map((p) => p[1]);
          const r = spearman(a, b);
          expect(r).toBe(spearman(b, a));
          if (r !== null) expect(Math.abs(r)).toBeLessThanOrEqual(1 + 1e-12);
        },
      ),
    );
  });
});
