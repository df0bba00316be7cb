import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  mostUsedCurrency,
  RateBook,
  tally,
  type ConvertibleDeal,
  type FrozenRate,
} from './reporting-currency.ts';

const day = 86_400_000;
const at = (iso: string) => Date.parse(`${iso}T00:00:00Z`);
const rate = (
  dealId: string,
  from: string,
  value: string,
  date: string,
  to = 'EUR',
): FrozenRate => ({
  dealId,
  from,
  to,
  rate: value,
  at: at(date),
});
const deal = (
  id: string,
  currency: string,
  amountMinor: number,
  closed: string | null,
): ConvertibleDeal => ({ id, currency, amountMinor, closedAt: closed ? at(closed) : null });

describe('RateBook', () => {
  const book = new RateBook('EUR', [
    rate('d1', 'USD', '0.9', '2026-01-10'),
    rate('d2', 'USD', '0.8', '2026-03-11'),
    rate('d3', 'GBP', '1.15', '2026-02-01'),
    // Into another currency: not this book's.
    rate('d4', 'JPY', '0.0065', '2026-02-01', 'USD'),
  ]);

  it('keeps a deal in the reporting currency as it is', () => {
    expect(book.convert(deal('x', 'EUR', 12_345, '2026-01-01'))).toEqual({
      amountMinor: 12_345,
      basis: 'same',
      rate: null,
      rateFrom: null,
    });
  });

  it('converts a closed deal at the rate frozen at its own close, even when another is nearer', () => {
    expect(book.convert(deal('d1', 'USD', 100_00, '2026-03-10'))).toEqual({
      amountMinor: 90_00,
      basis: 'frozen',
      rate: '0.9',
      rateFrom: 'd1',
    });
  });

  it('converts a closed deal without a rate at the nearest close’s rate, the earlier on a tie', () => {
    expect(book.convert(deal('n1', 'USD', 100_00, '2026-03-01'))).toMatchObject({
      amountMinor: 80_00,
      basis: 'nearest',
      rateFrom: 'd2',
    });
    expect(book.convert(deal('n2', 'USD', 100_00, '2025-06-01'))).toMatchObject({
      basis: 'nearest',
      rateFrom: 'd1',
    });
    expect(book.convert(deal('n3', 'USD', 100_00, '2027-06-01'))).toMatchObject({
      basis: 'nearest',
      rateFrom: 'd2',
    });
    // 2026-02-09 is 30 days from both closes: the earlier one.
    expect(book.convert(deal('n4', 'USD', 100_00, '2026-02-09'))).toMatchObject({
      basis: 'nearest',
      rateFrom: 'd1',
    });
  });

  it('converts an open deal at the latest frozen rate of its currency', () => {
    expect(book.convert(deal('o1', 'USD', 100_00, null))).toMatchObject({
      amountMinor: 80_00,
      basis: 'latest',
      rateFrom: 'd2',
    });
    // Its own rate belongs to a close it no longer has (reopened): the latest, not its own.
    expect(book.convert(deal('d1', 'USD', 100_00, null))).toMatchObject({ basis: 'latest' });
  });

  it('leaves out a deal in a currency with no rate into the reporting currency', () => {
    expect(book.convert(deal('j1', 'JPY', 1_000, '2026-02-01'))).toEqual({
      amountMinor: null,
      basis: 'none',
      rate: null,
      rateFrom: null,
    });
    expect(book.currenciesWithRates()).toEqual(['GBP', 'USD']);
  });

  it('converts in minor units with the exponents of both currencies', () => {
    const jpy = new RateBook('JPY', [rate('d1', 'USD', '149.5', '2026-01-01', 'JPY')]);
    expect(jpy.convert(deal('d1', 'USD', 100_00, '2026-01-01')).amountMinor).toBe(14_950);
  });
});

describe('tally', () => {
  it('sums the converted deals and counts the left-out ones per currency', () => {
    const book = new RateBook('EUR', [rate('d1', 'USD', '0.9', '2026-01-10')]);
    const t = tally(
      [
        deal('e1', 'EUR', 500_00, '2026-01-01'),
        deal('d1', 'USD', 100_00, '2026-01-10'),
        deal('u2', 'USD', 200_00, '2026-02-10'),
        deal('o1', 'USD', 10_00, null),
        deal('j1', 'JPY', 1_000, '2026-01-01'),
        deal('j2', 'JPY', 2_000, null),
        deal('g1', 'GBP', 7_00, null),
      ],
      book,
    );
    expect(t).toEqual({
      totalMinor: 500_00 + 90_00 + 180_00 + 9_00,
      count: 7,
      byBasis: { same: 1, frozen: 1, nearest: 1, latest: 1, none: 3 },
      leftOut: [
        { currency: 'GBP', count: 1, amountMinor: 7_00 },
        { currency: 'JPY', count: 2, amountMinor: 3_000 },
      ],
    });
  });

  const currencies = ['EUR', 'USD', 'GBP', 'JPY', 'BHD'] as const;
  const dealArb = fc.record({
    id: fc.string({ minLength: 1, maxLength: 4 }),
    currency: fc.constantFrom(...currencies),
    amountMinor: fc.integer({ min: 0, max: 10_000_000_000 }),
    closedAt: fc.option(
      fc.integer({ min: 0, max: 1000 }).map((d) => d * day),
      { nil: null },
    ),
  });
  const rateArb = fc.record({
    dealId: fc.string({ minLength: 1, maxLength: 4 }),
    from: fc.constantFrom(...currencies),
    to: fc.constantFrom('EUR', 'EUR', 'EUR', 'USD'),
    rate: fc
      .tuple(fc.integer({ min: 0, max: 300 }), fc.integer({ min: 0, max: 9999 }))
      .filter(([w, f]) => w > 0 || f > 0)
      .map(([w, f]) => `${w}.${String(f).padStart(4, '0')}`.replace(/0+$/, '').replace(/\.$/, '')),
    at: fc.integer({ min: 0, max: 1000 }).map((d) => d * day),
  });

  it('gives the same totals whatever order the deals and the rates come in', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(dealArb, { selector: (d) => d.id, maxLength: 40 }),
        fc.array(rateArb, { maxLength: 20 }),
        fc.func(fc.integer()),
        fc.func(fc.integer()),
        (deals, rates, keyA, keyB) => {
          const shuffle = <T>(xs: T[], key: (x: T) => number) =>
            xs
              .map((x, i) => ({ x, k: key(x) * 1000 + i }))
              .sort((a, b) => a.k - b.k)
              .map((e) => e.x);
          const a = tally(deals, new RateBook('EUR', rates));
          const b = tally(shuffle(deals, keyA), new RateBook('EUR', shuffle(rates, keyB)));
          const c = tally([...deals].reverse(), new RateBook('EUR', [...rates].reverse()));
          expect(b).toEqual(a);
          expect(c).toEqual(a);
          // Each deal converts the same alone as in any order: the sum is the sum of its parts.
          const book = new RateBook('EUR', rates);
          const parts = deals.reduce((s, d) => s + (book.convert(d).amountMinor ?? 0), 0);
          expect(a.totalMinor).toBe(parts);
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('mostUsedCurrency', () => {
  it('picks the currency most deals are in, the first code on a tie, USD with none', () => {
    expect(
      mostUsedCurrency([
        ['EUR', 3],
        ['USD', 5],
      ]),
    ).toBe('USD');
    expect(
      mostUsedCurrency([
        ['USD', 2],
        ['EUR', 2],
      ]),
    ).toBe('EUR');
    expect(mostUsedCurrency([])).toBe('USD');
  });
});
