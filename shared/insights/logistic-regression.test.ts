import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fitLogistic, predict, sigmoid } from './logistic-regression.ts';

const row = fc.array(fc.double({ min: -3, max: 3, noNaN: true }), { minLength: 3, maxLength: 3 });
const data = fc.array(fc.tuple(row, fc.integer({ min: 0, max: 1 })), { maxLength: 60 });
const prior = fc
  .array(fc.double({ min: -2, max: 2, noNaN: true }), { minLength: 3, maxLength: 3 })
  .map((p) => p.map((v) => v + 0)); // no -0: the prior comes back as given

/** A small linear congruential generator: the tests' randomness, fixed. */
function lcg(seed: number) {
  let s = seed >>> 0;
  return () => (s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32;
}

describe('fitLogistic', () => {
  it('returns the prior when there is no history', () => {
    fc.assert(
      fc.property(prior, (p) => {
        expect(fitLogistic([], [], { prior: p, lambda: 1 })).toEqual(p);
      }),
    );
  });

  it('is deterministic and gives probabilities strictly between 0 and 1', () => {
    fc.assert(
      fc.property(data, prior, (rows, p) => {
        const xs = rows.map((r) => r[0]);
        const ys = rows.map((r) => r[1]);
        const w1 = fitLogistic(xs, ys, { prior: p, lambda: 1 });
        expect(fitLogistic(xs, ys, { prior: p, lambda: 1 })).toEqual(w1);
        for (const x of xs) {
          const q = predict(w1, x);
          expect(q).toBeGreaterThan(0);
          expect(q).toBeLessThan(1);
        }
      }),
    );
  });

  it('stays near the prior when the prior is held strongly', () => {
    fc.assert(
      fc.property(data, prior, (rows, p) => {
        const w = fitLogistic(
          rows.map((r) => r[0]),
          rows.map((r) => r[1]),
          { prior: p, lambda: 1e7 },
        );
        w.forEach((v, i) => expect(Math.abs(v - p[i]!)).toBeLessThan(1e-3));
      }),
    );
  });

  it('recovers the signs and rough size of planted weights from enough rows', () => {
    const rnd = lcg(7);
    const truth = [-0.5, 1.5, -1];
    const xs: number[][] = [];
    const ys: number[] = [];
    for (let i = 0; i < 5000; i++) {
      const x = [1, rnd() * 2 - 1, rnd() * 2 - 1];
      xs.push(x);
      ys.push(rnd() < sigmoid(truth[0]! + truth[1]! * x[1]! + truth[2]! * x[2]!) ? 1 : 0);
    }
    const w = fitLogistic(xs, ys, { prior: [0, 0, 0], lambda: 1 });
    w.forEach((v, i) => expect(Math.abs(v - truth[i]!)).toBeLessThan(0.25));
  });

  it('moves further from the prior the more rows there are', () => {
    const rnd = lcg(11);
    const make = (n: number) => {
      const xs: number[][] = [];
      const ys: number[] = [];
      for (let i = 0; i < n; i++) {
        const x = [1, rnd() * 2 - 1];
        xs.push(x);
        ys.push(rnd() < sigmoid(2 * x[1]!) ? 1 : 0);
      }
      return fitLogistic(xs, ys, { prior: [0, 0], lambda: 20 })[1]!;
    };
    expect(make(20)).toBeLessThan(make(2000));
  });
});
