import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TandemClient } from '../client/sdk/tandem-client.ts';
import { RateBook, tally, type FrozenRate } from '../shared/attribution/reporting-currency.ts';
import { partnerPair } from './kit/fixtures.ts';
import { startTestServer, type TestCompany, type TestServer } from './kit/harness.ts';

/**
 * Money in one reporting currency, on the store this run is for (sqlite or postgres). Acme's
 * deals (EUR is its most used currency: 4 EUR, 3 USD, 1 JPY):
 * - E1 EUR 1,000 won, shared with globex, sealed 60/40 (acme sourced, globex influenced);
 * - E2 EUR 500 won, E4 EUR 100 lost, neither shared; E3 EUR 400 open (qualified), shared;
 * - U1 USD 1,000 won, shared, sealed 50/50 with globex sourced and acme's rate into EUR frozen at
 *   0.9 → €900 (frozen); U2 USD 200 lost, not shared, no attribution → at U1's rate, the
 *   nearest close: €180; U3 USD 300 open (qualified), shared → the latest rate: €270;
 * - J1 JPY 50,000 won, not shared: no rate from JPY into EUR exists → left out, counted.
 */
let server: TestServer;
let acme: TestCompany;
let globex: TestCompany;
let a: TandemClient;
const ids = new Map<string, string>();

const daysAgo = (n: number) => new Date(Date.now() - n * 86_400_000).toISOString().slice(0, 10);

beforeAll(async () => {
  server = await startTestServer();
  const pair = await partnerPair(server, { role: 'admin' });
  ({ acme, globex, a } = pair);
  const b = pair.b;
  const create = async (
    name: string,
    amountMinor: number,
    currency: string,
    outcome: { stage: 'won' | 'lost' | 'qualified'; closeDate?: string },
    shared: boolean,
  ) => {
    const deal = await a.opportunities.create.mutate({
      fields: {
        title: name,
        customer: { name: `${name} customer` },
        amountMinor,
        currency,
        stage: outcome.stage,
        ...(outcome.closeDate ? { closeDate: outcome.closeDate } : {}),
        ...(outcome.stage === 'lost' ? { lostReason: 'price' as const } : {}),
      },
      shareWith: shared ? [{ partner: 'globex', role: 'co_seller' }] : [],
    });
    if (shared) await b.opportunities.accept.mutate({ id: deal.id });
    ids.set(name, deal.id);
    return deal.id;
  };
  const seal = async (
    dealId: string,
    splits: {
      acme: ['sourced' | 'influenced', number];
      globex: ['sourced' | 'influenced', number];
    },
    reporting?: { currency: string; rate: string },
  ) => {
    await a.attribution.propose.mutate({
      dealId,
      splits: [
        { companyId: acme.id, kind: splits.acme[0], bps: splits.acme[1] },
        { companyId: globex.id, kind: splits.globex[0], bps: splits.globex[1] },
      ],
      ...(reporting ? { reporting: { [acme.id]: reporting } } : {}),
    });
    await a.attribution.sign.mutate({ dealId, version: 1 });
    await b.attribution.sign.mutate({ dealId, version: 1 });
  };
  const e1 = await create('E1', 1000_00, 'EUR', { stage: 'won', closeDate: daysAgo(40) }, true);
  await seal(e1, { acme: ['sourced', 6000], globex: ['influenced', 4000] });
  await create('E2', 500_00, 'EUR', { stage: 'won', closeDate: daysAgo(35) }, false);
  await create('E3', 400_00, 'EUR', { stage: 'qualified' }, true);
  await create('E4', 100_00, 'EUR', { stage: 'lost', closeDate: daysAgo(30) }, false);
  const u1 = await create('U1', 1000_00, 'USD', { stage: 'won', closeDate: daysAgo(20) }, true);
  await seal(
    u1,
    { acme: ['influenced', 5000], globex: ['sourced', 5000] },
    { currency: 'EUR', rate: '0.9' },
  );
  await create('U2', 200_00, 'USD', { stage: 'lost', closeDate: daysAgo(15) }, false);
  await create('U3', 300_00, 'USD', { stage: 'qualified' }, true);
  await create('J1', 50_000, 'JPY', { stage: 'won', closeDate: daysAgo(10) }, false);
});
afterAll(() => server.stop());

describe('program health in one reporting currency', () => {
  it("converts each closed deal at its close's frozen rate and says what it left out", async () => {
    const h = await a.programHealth.get.query({});
    expect(h.window).toMatchObject({ currency: 'EUR', currencySource: 'most_used' });
    expect(h.conversion.rule).toMatch(/rate frozen at its close/);
    expect(h.conversion.closed).toEqual({
      count: 6,
      byBasis: { same: 3, frozen: 1, nearest: 1, latest: 0, none: 1 },
      leftOut: [{ currency: 'JPY', count: 1, amountMinor: 50_000 }],
    });
    expect(h.conversion.openCreated.byBasis).toEqual({
      same: 1,
      frozen: 0,
      nearest: 0,
      latest: 1,
      none: 0,
    });
    expect(h.otherCurrencyDeals).toBe(1);
    // Partner revenue: E1 €1,000 and U1 $1,000 at 0.9.
    expect(h.concentration.partnerRevenue).toBe(1900);
    expect(h.coSold).toMatchObject({ closed: 2, won: 2, avgDealSize: 950 });
    // E2 only: J1 has no rate and is left out of the money, not of the counts.
    expect(h.notCoSold).toMatchObject({ closed: 4, won: 2, avgDealSize: 500 });
  });

  it('counts a deal as partner-sourced when its sealed attribution says so', async () => {
    const h = await a.programHealth.get.query({});
    const sum = (
      k: 'sourcedPipeline' | 'influencedPipeline' | 'sourcedRevenue' | 'influencedRevenue',
    ) => h.byQuarter.reduce((s, q) => s + q[k], 0);
    // U1 was created by acme, but both companies signed that globex sourced it.
    expect(sum('sourcedPipeline')).toBe(900);
    expect(sum('sourcedRevenue')).toBe(900);
    // E1 (acme sourced), E3 and U3 (no attribution, created by acme): influenced.
    expect(sum('influencedPipeline')).toBe(1000 + 400 + 270);
    expect(sum('influencedRevenue')).toBe(1000);
  });

  it('leaves out every other currency when asked for one no deal froze a rate into', async () => {
    const h = await a.programHealth.get.query({ currency: 'USD' });
    expect(h.window).toMatchObject({ currency: 'USD', currencySource: 'requested' });
    expect(h.conversion.closed.byBasis).toMatchObject({ same: 2, none: 4 });
    expect(h.otherCurrencyDeals).toBe(4);
    expect(h.concentration.partnerRevenue).toBe(1000);
  });
});

describe('pipeline totals by stage', () => {
  it('counts and totals each stage in the reporting currency, with per-currency sums beside', async () => {
    const t = await a.pipeline.stageTotals.query({});
    expect(t.currency).toBe('EUR');
    expect(t.currencySource).toBe('most_used');
    const stage = (s: string) => t.stages.find((x) => x.stage === s)!;
    expect(t.stages.map((s) => s.stage)).toEqual([
      'prospect',
      'qualified',
      'technical_validation',
      'business_validation',
      'committed',
      'won',
      'lost',
    ]);
    expect(stage('prospect')).toMatchObject({ count: 0, totalMinor: 0, byCurrency: [] });
    expect(stage('qualified')).toMatchObject({
      count: 2,
      totalMinor: 400_00 + 270_00,
      byBasis: { same: 1, latest: 1 },
      byCurrency: [
        { currency: 'EUR', count: 1, amountMinor: 400_00 },
        { currency: 'USD', count: 1, amountMinor: 300_00 },
      ],
      leftOut: [],
    });
    expect(stage('won')).toMatchObject({
      count: 4,
      totalMinor: 1000_00 + 500_00 + 900_00,
      byBasis: { same: 2, frozen: 1, none: 1 },
      leftOut: [{ currency: 'JPY', count: 1, amountMinor: 50_000 }],
    });
    expect(stage('lost')).toMatchObject({
      count: 2,
      totalMinor: 100_00 + 180_00,
      byBasis: { same: 1, nearest: 1 },
    });
    expect(t.total).toEqual({
      count: 8,
      totalMinor: 670_00 + 2400_00 + 280_00,
      byBasis: { same: 4, frozen: 1, nearest: 1, latest: 1, none: 1 },
      leftOut: [{ currency: 'JPY', count: 1, amountMinor: 50_000 }],
    });
  });

  it("follows the pipeline's filters", async () => {
    const open = await a.pipeline.stageTotals.query({ status: ['open'] });
    expect(open.total).toMatchObject({ count: 2, totalMinor: 670_00 });
    const shared = await a.pipeline.stageTotals.query({ partner: globex.id });
    expect(shared.total).toMatchObject({
      count: 4,
      totalMinor: 1000_00 + 400_00 + 900_00 + 270_00,
    });
  });

  it('answers the same over REST', async () => {
    const res = await fetch(`${server.url}/api/v1/pipeline/stage-totals?status=open,won`, {
      headers: { authorization: `Bearer ${await acme.memberToken('viewer')}` },
    });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { total: { count: number; totalMinor: number } };
    expect(body.total).toMatchObject({ count: 6, totalMinor: 670_00 + 2400_00 });
  });

  it('sums to what converting the listed deals one by one gives, in any order', async () => {
    const { items } = await a.opportunities.list.query({ limit: 200 });
    const rates: FrozenRate[] = [
      { dealId: ids.get('U1')!, from: 'USD', to: 'EUR', rate: '0.9', at: Date.parse(daysAgo(20)) },
    ];
    const deals = items.map((d) => ({
      id: d.id,
      currency: d.fields!.currency,
      amountMinor: d.fields!.amountMinor,
      closedAt: d.fields!.closeDate ? Date.parse(d.fields!.closeDate) : null,
    }));
    const { total } = await a.pipeline.stageTotals.query({});
    fc.assert(
      fc.property(fc.shuffledSubarray(deals, { minLength: deals.length }), (order) => {
        expect(tally(order, new RateBook('EUR', rates))).toEqual(total);
      }),
      { numRuns: 25 },
    );
  });
});

describe('the finance export preview', () => {
  it("shows the period's records and the manifest's totals before export", async () => {
    const p = await a.attribution.exportPreview.query({ from: daysAgo(60), to: daysAgo(0) });
    expect(p.count).toBe(2);
    expect(p.first.map((r) => r.title)).toEqual(['E1', 'U1']);
    expect(p.first[1]).toMatchObject({
      currency: 'USD',
      amountMinor: 1000_00,
      mine: {
        kind: 'influenced',
        bps: 5000,
        amountMinor: 500_00,
        reporting: { currency: 'EUR', rate: '0.9', amountMinor: 450_00 },
      },
      partners: [{ id: globex.id, name: 'globex Inc.', kind: 'sourced', bps: 5000 }],
    });
    expect(p.totals.byCurrency).toEqual([
      { currency: 'EUR', records: 1, amountMinor: 1000_00 },
      { currency: 'USD', records: 1, amountMinor: 1000_00 },
    ]);
    expect(p.totals.mineByCurrency).toEqual([
      { currency: 'EUR', amountMinor: 600_00 },
      { currency: 'USD', amountMinor: 500_00 },
    ]);
    expect(p.totals.mineReporting).toEqual([{ currency: 'EUR', amountMinor: 450_00 }]);
    expect(p.totals.byCompany.map((c) => [c.name, c.currency, c.amountMinor])).toEqual([
      ['acme Inc.', 'EUR', 600_00],
      ['acme Inc.', 'USD', 500_00],
      ['globex Inc.', 'EUR', 400_00],
      ['globex Inc.', 'USD', 500_00],
    ]);
    expect(p.fileName).toBe(`tandem-attribution-${daysAgo(60)}..${daysAgo(0)}.json`);
    expect(p.verifyCommand).toBe(
      `npx tandem verify ${p.fileName} --jwks ` +
        `http://tandem.test/companies/${acme.id}/.well-known/jwks.json,` +
        `http://tandem.test/companies/${globex.id}/.well-known/jwks.json ` +
        `--log-key http://tandem.test/.well-known/tandem-log.vkey`,
    );
  });

  it('needs export:read', async () => {
    const alliance = server.client(await acme.memberToken('alliance'));
    await expect(
      alliance.attribution.exportPreview.query({ period: '2026-Q4' }),
    ).rejects.toMatchObject({
      data: { code: 'Forbidden' },
    });
  });
});
