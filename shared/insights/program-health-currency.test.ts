import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RateBook, type FrozenRate } from '../attribution/reporting-currency.ts';
import type { HistoryDeal } from './deal-history.ts';
import { programHealth } from './program-health.ts';

const day = 86_400_000;
const window = { from: 0, to: 400 * day, currency: 'EUR' };
const partners = ['p1', 'p2', 'p3'].map((id) => ({ id, slug: id, name: id }));

const dealArb = fc
  .record({
    n: fc.integer({ min: 0, max: 1_000_000 }),
    status: fc.constantFrom('open', 'won', 'lost'),
    created: fc.integer({ min: 0, max: 300 }),
    cycle: fc.integer({ min: 1, max: 120 }),
    cents: fc.integer({ min: 0, max: 50_000_000 }),
    currency: fc.constantFrom('EUR', 'USD', 'GBP', 'JPY'),
    partners: fc.subarray(['p1', 'p2', 'p3']),
    mine: fc.boolean(),
  })
  .map((d): HistoryDeal => ({
    id: `d${d.n}`,
    status: d.status as HistoryDeal['status'],
    createdAt: d.created * day,
    closedAt: d.status === 'open' ? null : (d.created + d.cycle) * day,
    amount: d.currency === 'JPY' ? d.cents : d.cents / 100,
    currency: d.currency,
    segment: null,
    industry: null,
    country: null,
    domain: null,
    motion: 'co_sell',
    mine: d.mine,
    partners: d.partners.map((id) => ({ id, role: 'co_seller', firstDeal: false })),
    lastStepDoneAt: null,
    debriefDone: false,
  }));

const rateArb = fc.record({
  dealId: fc.integer({ min: 0, max: 1_000_000 }).map((n) => `d${n}`),
  from: fc.constantFrom('USD', 'GBP'),
  to: fc.constant('EUR'),
  rate: fc.constantFrom('0.9', '0.92', '1.17', '1.1834'),
  at: fc.integer({ min: 0, max: 420 }).map((d) => d * day),
});

describe('program health in one reporting currency', () => {
  it('gives the same figures whatever order the deals and the rates come in', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(dealArb, { selector: (d) => d.id, maxLength: 40 }),
        fc.array(rateArb, { maxLength: 12 }),
        fc.array(fc.integer(), { minLength: 52, maxLength: 52 }),
        (deals, rates, key) => {
          const shuffle = <T>(xs: T[], offset: number) =>
            xs
              .map((x, i) => ({ x, k: (key[offset + i] ?? 0) * 1000 + i }))
              .sort((a, b) => a.k - b.k)
              .map((e) => e.x);
          const health = (ds: HistoryDeal[], rs: FrozenRate[]) =>
            programHealth(ds, partners, window, { book: new RateBook('EUR', rs) });
          const a = health(deals, rates);
          const b = health(shuffle(deals, 0), shuffle(rates, deals.length));
          expect({ ...b, firstDeals: [] }).toEqual({ ...a, firstDeals: [] });
          expect(new Set(b.firstDeals.map((f) => f.dealId))).toEqual(
            new Set(a.firstDeals.map((f) => f.dealId)),
          );
          // Every closed deal is counted on one basis; none goes missing.
          const closed = a.conversion.closed;
          expect(Object.values(closed.byBasis).reduce((s, n) => s + n, 0)).toBe(closed.count);
          expect(a.otherCurrencyDeals).toBe(closed.byBasis.none);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('counts a won deal in another currency at its frozen rate, and one without a rate apart', () => {
    const won = (id: string, amount: number, currency: string): HistoryDeal => ({
      id,
      status: 'won',
      createdAt: 10 * day,
      closedAt: 50 * day,
      amount,
      currency,
      segment: null,
      industry: null,
      country: null,
      domain: null,
      motion: 'co_sell',
      mine: true,
      partners: [{ id: 'p1', role: 'co_seller', firstDeal: false }],
      lastStepDoneAt: null,
      debriefDone: false,
    });
    const h = programHealth(
      [won('e', 1000, 'EUR'), won('u', 1000, 'USD'), won('g', 500, 'GBP')],
      partners,
      window,
      {
        book: new RateBook('EUR', [
          { dealId: 'u', from: 'USD', to: 'EUR', rate: '0.9', at: 50 * day },
        ]),
        // The partner holds the sourced split of u's sealed attribution.
        partnerSourced: new Map([['u', true]]),
      },
    );
    expect(h.concentration.partnerRevenue).toBe(1900);
    expect(h.otherCurrencyDeals).toBe(1);
    expect(h.conversion.closed.leftOut).toEqual([
      { currency: 'GBP', count: 1, amountMinor: 500_00 },
    ]);
    expect(h.byQuarter).toEqual([
      {
        quarter: '1970-Q1',
        sourcedPipeline: 900,
        influencedPipeline: 1000,
        sourcedRevenue: 900,
        influencedRevenue: 1000,
      },
    ]);
  });
});
