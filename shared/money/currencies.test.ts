import { describe, expect, it } from 'vitest';
import {
  currencyCodes,
  currencyExponents,
  currencySchema,
  isCurrency,
  minorExponent,
} from './currencies.ts';

describe('currencies', () => {
  it('lists the 165 active ISO 4217 codes that have a minor unit, sorted', () => {
    expect(currencyCodes).toHaveLength(165);
    expect([...currencyCodes].sort()).toEqual(currencyCodes);
    expect(new Set(currencyCodes).size).toBe(currencyCodes.length);
    for (const code of currencyCodes) expect(code).toMatch(/^[A-Z]{3}$/);
  });

  it.each([
    ['USD', 2],
    ['EUR', 2],
    ['JPY', 0],
    ['KRW', 0],
    ['CLP', 0],
    ['ISK', 0],
    ['BHD', 3],
    ['KWD', 3],
    ['JOD', 3],
    ['OMR', 3],
    ['TND', 3],
    ['IQD', 3],
    ['LYD', 3],
    ['CLF', 4],
    ['UYW', 4],
    ['XCG', 2],
    ['ZWG', 2],
    ['SLE', 2],
    ['VED', 2],
  ])('gives %s %i minor digits', (code, exponent) => {
    expect(minorExponent(code)).toBe(exponent);
    expect(currencyExponents[code]).toBe(exponent);
  });

  it('has only exponents 0, 2, 3 and 4', () => {
    expect(new Set(Object.values(currencyExponents))).toEqual(new Set([0, 2, 3, 4]));
  });

  it.each(['ANG', 'BGN', 'HRK', 'CUC', 'SLL', 'ZWL', 'VEF', 'XAU', 'XXX', 'XTS', 'usd', 'US'])(
    'does not know %s (withdrawn, no minor unit, or malformed)',
    (code) => {
      expect(isCurrency(code)).toBe(false);
      expect(() => minorExponent(code)).toThrow(/unknown ISO 4217 currency code/);
    },
  );

  it('does not treat inherited properties as codes', () => {
    expect(isCurrency('toString')).toBe(false);
    expect(() => minorExponent('constructor')).toThrow(/unknown/);
  });

  it('accepts every listed code in the schema and refuses others with one clear issue', () => {
    for (const code of currencyCodes) expect(currencySchema.parse(code)).toBe(code);
    for (const bad of ['usd', 'XAU', 'ABC', 'USDD', '', 'ANG']) {
      const result = currencySchema.safeParse(bad);
      expect(result.success).toBe(false);
      expect(result.error?.issues.map((i) => i.message)).toEqual([
        'unknown ISO 4217 currency code',
      ]);
    }
  });
});
