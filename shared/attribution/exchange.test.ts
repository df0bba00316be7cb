import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { currencyCodes, minorExponent } from '../money/currencies.ts';
import { convertMinor, rateSchema } from './exchange.ts';

describe('convertMinor', () => {
  it.each([
    // [amount, from, to, rate, expected, why]
    [10_000, 'USD', 'JPY', '149.5', 14_950, '$100.00 → ¥14,950'],
    [1, 'USD', 'JPY', '149.5', 1, '$0.01 → ¥1.495 → ¥1'],
    [1_000, 'JPY', 'BHD', '0.0025', 2_500, '¥1,000 → 2.500 BHD'],
    [1, 'JPY', 'BHD', '0.0024567', 2, '¥1 → 2.4567 fils → 2 fils'],
    [1_000, 'BHD', 'JPY', '396.25', 396, '1.000 BHD → ¥396.25 → ¥396'],
    [100, 'EUR', 'USD', '1.0845', 108, '€1.00 → $1.0845 → $1.08'],
    [12_345, 'CLF', 'USD', '40.123456', 4_953, '1.2345 CLF → $49.532406… → $49.53'],
    [100, 'USD', 'CLF', '0.025', 250, '$1.00 → 0.0250 CLF'],
    [0, 'USD', 'JPY', '149.5', 0, 'nothing stays nothing'],
  ])('converts %i %s to %s at %s as %i (%s)', (amount, from, to, rate, expected) => {
    expect(convertMinor(amount, from, to, rate)).toBe(expected);
  });

  it.each([
    [100, 'EUR', 'USD', '1.005', 100, '100.5 → 100 (even)'],
    [300, 'EUR', 'USD', '1.005', 302, '301.5 → 302 (even)'],
    [101, 'EUR', 'USD', '1.005', 102, '101.505 → 102 (above half)'],
    [5, 'BHD', 'JPY', '300', 2, '¥1.5 → ¥2'],
    [25, 'BHD', 'JPY', '100', 2, '¥2.5 → ¥2'],
    [35, 'BHD', 'JPY', '100', 4, '¥3.5 → ¥4'],
    [1, 'USD', 'JPY', '50', 0, '¥0.5 → ¥0'],
    [1, 'USD', 'JPY', '150', 2, '¥1.5 → ¥2'],
    [-150, 'USD', 'EUR', '0.01', -2, '−1.5 → −2'],
    [-250, 'USD', 'EUR', '0.01', -2, '−2.5 → −2'],
  ])('rounds %i %s to %s at %s half to even: %i (%s)', (amount, from, to, rate, expected) => {
    expect(convertMinor(amount, from, to, rate)).toBe(expected);
  });

  it('stays exact for the largest safe amount, where floating point would not', () => {
    const amount = Number.MAX_SAFE_INTEGER; // 9007199254740991
    // Exact: 6305039478318693.7 and 5404319552844594.6; doubles round them to …693 and …594.
    expect(convertMinor(amount, 'USD', 'EUR', '0.7')).toBe(6_305_039_478_318_694);
    expect(convertMinor(amount, 'USD', 'EUR', '0.6')).toBe(5_404_319_552_844_595);
    // Exact 8800000000000001.1; doubles give …002.
    expect(convertMinor(8_000_000_000_000_001, 'EUR', 'USD', '1.1')).toBe(8_800_000_000_000_001);
    // 4503599627370495.5 is a tie: to the even neighbour.
    expect(convertMinor(amount, 'USD', 'EUR', '0.5')).toBe(4_503_599_627_370_496);
    expect(convertMinor(amount, 'BHD', 'JPY', '0.999999999999')).toBe(9_007_199_254_732);
  });

  it('is the identity at rate 1 between currencies with the same minor unit', () => {
    const pairs = currencyCodes.flatMap((from) =>
      ['USD', 'JPY', 'BHD', 'CLF']
        .filter((to) => minorExponent(to) === minorExponent(from))
        .map((to) => [from, to] as const),
    );
    fc.assert(
      fc.property(
        fc.integer({ min: Number.MIN_SAFE_INTEGER, max: Number.MAX_SAFE_INTEGER }),
        fc.constantFrom(...pairs),
        fc.constantFrom('1', '1.0', '1.000000000000'),
        (amount, [from, to], one) => {
          expect(convertMinor(amount, from, to, one)).toBe(amount);
        },
      ),
    );
  });

  it('is within half a minor unit of the exact value', () => {
    const rateArb = fc
      .tuple(fc.bigInt({ min: 1n, max: 10n ** 12n }), fc.nat(12))
      .map(([units, digits]) => {
        const text = units.toString().padStart(digits + 1, '0');
        return digits === 0 ? text : `${text.slice(0, -digits)}.${text.slice(-digits)}`;
      });
    fc.assert(
      fc.property(
        fc.integer({ min: -1e12, max: 1e12 }),
        fc.constantFrom('USD', 'JPY', 'BHD', 'CLF'),
        fc.constantFrom('USD', 'JPY', 'BHD', 'CLF'),
        rateArb,
        (amount, from, to, rate) => {
          let result: number;
          try {
            result = convertMinor(amount, from, to, rate);
          } catch (error) {
            expect(error).toBeInstanceOf(RangeError); // beyond the safe integers
            return;
          }
          const [whole = '', fraction = ''] = rate.split('.');
          // exact = amount × rate × 10^et / 10^ef; compare everything scaled by 10^(ef + f).
          const scale = 10n ** BigInt(minorExponent(from) + fraction.length);
          const exact =
            BigInt(amount) * BigInt(whole + fraction) * 10n ** BigInt(minorExponent(to));
          const error = BigInt(result) * scale - exact;
          expect(2n * (error < 0n ? -error : error) <= scale).toBe(true);
        },
      ),
    );
  });

  it('refuses an amount that is not a safe integer', () => {
    for (const amount of [1.5, Number.MAX_SAFE_INTEGER + 1, Number.NaN]) {
      expect(() => convertMinor(amount, 'USD', 'EUR', '1')).toThrow(RangeError);
    }
  });

  it('refuses a result beyond the safe integers', () => {
    expect(() => convertMinor(Number.MAX_SAFE_INTEGER, 'USD', 'EUR', '1.000000000001')).toThrow(
      RangeError,
    );
    expect(() => convertMinor(Number.MAX_SAFE_INTEGER, 'JPY', 'CLF', '1')).toThrow(RangeError);
  });

  it('refuses an invalid rate and an unknown currency', () => {
    expect(() => convertMinor(100, 'USD', 'EUR', '0')).toThrow(RangeError);
    expect(() => convertMinor(100, 'USD', 'EUR', '1e3')).toThrow(RangeError);
    expect(() => convertMinor(100, 'USD', 'XAU', '1')).toThrow(/unknown ISO 4217/);
  });
});

describe('rateSchema', () => {
  it.each([
    '1',
    '0.5',
    '1.0845',
    '149',
    '1.0',
    '0.000000000001',
    '123456.123456789012',
    '0.000001234567890123456789'.slice(0, 14),
    '999999999999999999',
  ])('accepts %s', (rate) => {
    expect(rateSchema.parse(rate)).toBe(rate);
  });

  it.each([
    ['0', 'positive'],
    ['0.000', 'positive'],
    ['-1', 'plain decimal'],
    ['+1', 'plain decimal'],
    ['1e3', 'plain decimal'],
    ['.5', 'plain decimal'],
    ['1.', 'plain decimal'],
    ['01.5', 'plain decimal'],
    ['1,5', 'plain decimal'],
    [' 1', 'plain decimal'],
    ['', 'plain decimal'],
    ['Infinity', 'plain decimal'],
    ['1.0000000000001', '12 digits after'],
    ['1234567.123456789012', '18 significant'],
    ['1000000000000000000', '18 significant'],
  ])('refuses %j (%s)', (rate, message) => {
    const issues = rateSchema.safeParse(rate).error?.issues;
    expect(issues).toHaveLength(1);
    expect(issues?.[0]?.message).toContain(message);
  });
});
