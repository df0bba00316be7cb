import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { dayMs, isClosed, type HistoryDeal } from './deal-history.ts';
import { featureNames } from './partner-features.ts';
import { buildStats } from './partner-stats.ts';
import { trainingRows } from './training-rows.ts';

const partnerIds = ['p1', 'p2', 'p3'];
const typeOf = () => 'service' as const;

const dealArb = fc.record({
  created: fc.integer({ min: 0, max: 600 }),
  cycle: fc.integer({ min: 1, max: 120 }),
  outcome: fc.constantFrom('won', 'lost', 'won', 'lost', 'open'),
  partners: fc.subarray(partnerIds, { maxLength: 2 }),
  segment: fc.constantFrom('smb', 'enterprise'),
  industry: fc.constantFrom('Retail', 'Finance'),
  amount: fc.integer({ min: 1_000, max: 90_000 }),
});
type DealSpec = typeof dealArb extends fc.Arbitrary<infer T> ? T : never;

function deal(s: DealSpec, i: number, prefix = 'd'): HistoryDeal {
  const created = s.created * dayMs;
  return {
    id: `${prefix}${i}`,
    status: s.outcome as HistoryDeal['status'],
    createdAt: created,
    closedAt: s.outcome === 'open' ? null : created + s.cycle * dayMs,
    amount: s.amount,
    currency: 'USD',
    segment: s.segment,
    industry: s.industry,
    country: 'DE',
    domain: null,
    motion: 'co_sell',
    mine: true,
    partners: s.partners.map((id) => ({ id, role: 'co_seller', firstDeal: false })),
    lastStepDoneAt: null,
    debriefDone: false,
  };
}

function rowsOf(deals: HistoryDeal[], id: string) {
  return trainingRows(deals, buildStats(deals).timelines, typeOf, {
    maxRows: Number.POSITIVE_INFINITY,
    refitEvery: 3,
  })
    .filter((r) => r.dealId === id)
    .map((r) => ({ partnerId: r.partnerId, x: Array.from(r.x) }));
}

describe('trainingRows', () => {
  it('describes a past deal with nothing that happened after it was created, its own outcome included', () => {
    fc.assert(
      fc.property(
        fc.array(dealArb, { minLength: 2, maxLength: 40 }),
        fc.array(dealArb, { maxLength: 10 }),
        fc.nat(),
        (specs, extra, pick) => {
          const deals = specs.map((s, i) => deal(s, i));
          const targets = deals.filter((d) => isClosed(d) && d.partners.length > 0);
          fc.pre(targets.length > 0);
          const target = targets[pick % targets.length]!;
          const t = target.createdAt;
          // Rewrite everything that came after the target's creation: outcomes that closed later
          // flip (its own included), their close moves later still, other deals' amounts change
          // (the target's own amount was known when it was created), and new deals come after.
          const later = deals.map((d) =>
            isClosed(d) && d.closedAt! >= t
              ? {
                  ...d,
                  status: d.status === 'won' ? ('lost' as const) : ('won' as const),
                  closedAt: d.closedAt! + 30 * dayMs,
                  amount: d === target ? d.amount : d.amount * 7,
                }
              : d,
          );
          const added = extra.map((s, i) =>
            deal({ ...s, created: s.created + Math.ceil(t / dayMs) + 1 }, i, 'new'),
          );
          const before = rowsOf(deals, target.id);
          expect(before.length).toBe(target.partners.length);
          expect(rowsOf([...later, ...added], target.id)).toEqual(before);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('does not count a deal’s own win toward its partner being activated', () => {
    const won = deal(
      {
        created: 100,
        cycle: 10,
        outcome: 'won',
        partners: ['p1'],
        segment: 'smb',
        industry: 'Retail',
        amount: 5_000,
      },
      0,
    );
    const [row] = trainingRows([won], buildStats([won]).timelines, typeOf);
    expect(row!.x[featureNames.indexOf('activated')]).toBe(0);
    expect(row!.x[featureNames.indexOf('cellRecord')]).toBe(0);
  });

  it('gives no account signal: account lists hold only today’s state', () => {
    fc.assert(
      fc.property(fc.array(dealArb, { minLength: 1, maxLength: 30 }), (specs) => {
        const deals = specs.map((s, i) => deal(s, i));
        for (const r of trainingRows(deals, buildStats(deals).timelines, typeOf)) {
          expect(r.x[featureNames.indexOf('customerIsTheirCustomer')]).toBe(0);
          expect(r.x[featureNames.indexOf('customerInTheirPipeline')]).toBe(0);
        }
      }),
    );
  });
});
