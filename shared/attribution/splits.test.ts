import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { allocate, attributionKinds, splitsSchema, totalBps, type SplitInput } from './splits.ts';

/** 1..20 splits with distinct companies and positive basis points summing to 10,000. */
const splitsArb: fc.Arbitrary<SplitInput[]> = fc
  .uniqueArray(fc.string({ minLength: 1, maxLength: 8 }), { minLength: 1, maxLength: 20 })
  .chain((companies) =>
    fc
      .uniqueArray(fc.integer({ min: 1, max: totalBps - 1 }), {
        minLength: companies.length - 1,
        maxLength: companies.length - 1,
      })
      .map((cuts) => [0, ...cuts.sort((a, b) => a - b), totalBps])
      .chain((bounds) =>
        fc.tuple(
          ...companies.map((companyId, i) =>
            fc.constantFrom(...attributionKinds).map((kind) => ({
              companyId,
              kind,
              bps: bounds[i + 1]! - bounds[i]!,
            })),
          ),
        ),
      ),
  );

const amountArb = fc.oneof(
  fc.nat(1_000_000),
  fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }),
  fc.integer({ min: Number.MAX_SAFE_INTEGER - 10_000, max: Number.MAX_SAFE_INTEGER }),
);

const sum = (values: number[]): number => values.reduce((a, b) => a + b, 0);
const byCompany = (splits: { companyId: string; amountMinor: number }[]) =>
  new Map(splits.map((s) => [s.companyId, s.amountMinor]));

describe('allocate', () => {
  it('gives parts that sum exactly to the amount', () => {
    fc.assert(
      fc.property(amountArb, splitsArb, (amount, splits) => {
        const parts = allocate(amount, splits).map((p) => p.amountMinor);
        expect(BigInt(sum(parts))).toBe(BigInt(amount));
        for (const part of parts) expect(Number.isSafeInteger(part) && part >= 0).toBe(true);
      }),
    );
  });

  it('keeps every part within one unit of its exact share', () => {
    fc.assert(
      fc.property(amountArb, splitsArb, (amount, splits) => {
        for (const part of allocate(amount, splits)) {
          // |part × 10,000 − amount × bps| < 10,000, checked exactly.
          const diff = BigInt(part.amountMinor) * 10_000n - BigInt(amount) * BigInt(part.bps);
          expect(diff > -10_000n && diff < 10_000n).toBe(true);
        }
      }),
    );
  });

  it('draws splits whose basis points sum to 10,000', () => {
    fc.assert(
      fc.property(splitsArb, (splits) => {
        expect(sum(splits.map((s) => s.bps))).toBe(totalBps);
        expect(splitsSchema.safeParse(splits).success).toBe(true);
      }),
    );
  });

  it('gives each company the same amount whatever the order of the splits', () => {
    fc.assert(
      fc.property(
        amountArb,
        splitsArb.chain((s) =>
          fc.tuple(
            fc.constant(s),
            fc.shuffledSubarray(s, { minLength: s.length, maxLength: s.length }),
          ),
        ),
        (amount, [splits, shuffled]) => {
          expect(byCompany(allocate(amount, shuffled))).toEqual(
            byCompany(allocate(amount, splits)),
          );
        },
      ),
    );
  });

  it('keeps the input order and fields in its output', () => {
    fc.assert(
      fc.property(amountArb, splitsArb, (amount, splits) => {
        const result = allocate(amount, splits);
        expect(result.map(({ amountMinor: _, ...split }) => split)).toEqual(splits);
      }),
    );
  });

  it('gives zeros for a zero amount', () => {
    fc.assert(
      fc.property(splitsArb, (splits) => {
        for (const part of allocate(0, splits)) expect(part.amountMinor).toBe(0);
      }),
    );
  });

  it('is exact for the largest safe amount', () => {
    const amount = Number.MAX_SAFE_INTEGER; // 9007199254740991
    const parts = allocate(amount, [
      { companyId: 'a', kind: 'sourced', bps: 3333 },
      { companyId: 'b', kind: 'influenced', bps: 3333 },
      { companyId: 'c', kind: 'fulfilment', bps: 3334 },
    ]).map((p) => p.amountMinor);
    // Exact shares: 3002099511605172.3003 twice and 3003000231530646.3994; the one unit left
    // over goes to c, the largest remainder.
    expect(parts).toEqual([3002099511605172, 3002099511605172, 3003000231530647]);
    expect(BigInt(sum(parts))).toBe(BigInt(amount));
  });

  it('gives leftover units to the largest remainders', () => {
    // 10 × 1/3: shares 3.333…, 3.333…, 3.334 → floors 3, 3, 3 and one unit left for c.
    expect(
      allocate(10, [
        { companyId: 'a', kind: 'sourced', bps: 3333 },
        { companyId: 'b', kind: 'influenced', bps: 3333 },
        { companyId: 'c', kind: 'fulfilment', bps: 3334 },
      ]).map((p) => p.amountMinor),
    ).toEqual([3, 3, 4]);
  });

  it('breaks equal remainders by companyId, not by input order', () => {
    const split = (companyId: string): SplitInput => ({ companyId, kind: 'sourced', bps: 2500 });
    // 1 unit in four equal quarters: every remainder is 2,500, so the lowest companyId wins.
    expect(allocate(1, [split('d'), split('b'), split('c'), split('a')])).toEqual([
      { ...split('d'), amountMinor: 0 },
      { ...split('b'), amountMinor: 0 },
      { ...split('c'), amountMinor: 0 },
      { ...split('a'), amountMinor: 1 },
    ]);
    // Code-unit order: 'B' (0x42) sorts before 'a' (0x61).
    expect(allocate(1, [split('a'), split('B'), split('c'), split('d')])[1]!.amountMinor).toBe(1);
  });

  it.each([-1, 1.5, Number.MAX_SAFE_INTEGER + 1, Number.NaN, Number.POSITIVE_INFINITY])(
    'refuses the amount %s with a RangeError',
    (amount) => {
      expect(() => allocate(amount, [{ companyId: 'a', kind: 'sourced', bps: totalBps }])).toThrow(
        RangeError,
      );
    },
  );

  it.each([
    ['sum below 10,000', [{ companyId: 'a', kind: 'sourced', bps: 9999 }]],
    ['sum above 10,000', [{ companyId: 'a', kind: 'sourced', bps: 10_001 }]],
    ['no splits', []],
    [
      'a fractional bps',
      [
        { companyId: 'a', kind: 'sourced', bps: 4999.5 },
        { companyId: 'b', kind: 'sourced', bps: 5000.5 },
      ],
    ],
    [
      'a negative bps',
      [
        { companyId: 'a', kind: 'sourced', bps: -1 },
        { companyId: 'b', kind: 'sourced', bps: 10_001 },
      ],
    ],
    [
      'a repeated company',
      [
        { companyId: 'a', kind: 'sourced', bps: 5000 },
        { companyId: 'a', kind: 'influenced', bps: 5000 },
      ],
    ],
  ] as [string, SplitInput[]][])('refuses splits with %s with a RangeError', (_, splits) => {
    expect(() => allocate(100, splits)).toThrow(RangeError);
  });
});

describe('splitsSchema', () => {
  const ok: SplitInput[] = [
    { companyId: 'co_a', kind: 'sourced', bps: 6000 },
    { companyId: 'co_b', kind: 'fulfilment', bps: 4000 },
  ];

  it('accepts splits summing to 10,000', () => {
    expect(splitsSchema.parse(ok)).toEqual(ok);
  });

  it('reports a wrong sum once, at the array', () => {
    const result = splitsSchema.safeParse([ok[0], { ...ok[1], bps: 3999 }]);
    expect(result.error?.issues).toEqual([
      expect.objectContaining({
        path: [],
        message: 'basis points must sum to 10,000 (they sum to 9999)',
      }),
    ]);
  });

  it('reports a repeated company at its later occurrence', () => {
    const result = splitsSchema.safeParse([ok[0], { ...ok[1], companyId: 'co_a' }]);
    expect(result.error?.issues).toEqual([
      expect.objectContaining({ path: [1, 'companyId'], message: 'appears twice' }),
    ]);
  });

  it.each([
    ['an empty list', []],
    [
      '21 splits',
      Array.from({ length: 21 }, (_, i) => ({ companyId: `c${i}`, kind: 'sourced', bps: 1 })),
    ],
    ['an unknown key', [{ ...ok[0], bps: 10_000, note: 'x' }]],
    ['an unknown kind', [{ companyId: 'a', kind: 'resold', bps: 10_000 }]],
    [
      'zero bps',
      [
        { companyId: 'a', kind: 'sourced', bps: 0 },
        { companyId: 'b', kind: 'sourced', bps: 10_000 },
      ],
    ],
    [
      'fractional bps',
      [
        { companyId: 'a', kind: 'sourced', bps: 9999.5 },
        { companyId: 'b', kind: 'sourced', bps: 0.5 },
      ],
    ],
    ['bps above 10,000', [{ companyId: 'a', kind: 'sourced', bps: 10_001 }]],
    ['an empty companyId', [{ companyId: '', kind: 'sourced', bps: 10_000 }]],
    [
      'a companyId of 101 characters',
      [{ companyId: 'x'.repeat(101), kind: 'sourced', bps: 10_000 }],
    ],
  ])('refuses %s', (_, splits) => {
    expect(splitsSchema.safeParse(splits).success).toBe(false);
  });

  it('reports only too_small for an empty list', () => {
    expect(splitsSchema.safeParse([]).error?.issues.map((i) => i.code)).toEqual(['too_small']);
  });
});
