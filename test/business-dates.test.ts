import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TandemClient } from '../client/sdk/tandem-client.ts';
import { rebuildDealProjections } from '../server/opportunities/rebuild-projections.ts';
import { startTestServer, type TestServer } from './kit/harness.ts';
import { restApi, type RestCall, type RestErrorBody } from './kit/rest-api.ts';

/**
 * A CRM pushes two years of co-sold history at once, newest first, with its own dates: deal k
 * (0 oldest … 15) was created 730 − 40k days ago and closed 20 + 5k days later, won when k is
 * even. The figures must follow those dates, not the minute of the push.
 */
const day = 86_400_000;
const today = Date.parse(`${new Date().toISOString().slice(0, 10)}T00:00:00Z`);
const iso = (t: number) => new Date(t).toISOString();
const deals = Array.from({ length: 16 }, (_, k) => {
  const created = today - (730 - 40 * k) * day;
  const cycleDays = 20 + 5 * k;
  const closed = created + cycleDays * day;
  return { k, created, closed, cycleDays, won: k % 2 === 0 };
});
const quarterOf = (t: number) =>
  `${new Date(t).getUTCFullYear()}-Q${Math.floor(new Date(t).getUTCMonth() / 3) + 1}`;

function item(d: (typeof deals)[number]) {
  return {
    externalRef: `CRM-${d.k}`,
    fields: {
      title: `Deal ${d.k}`,
      customer: { name: `Customer ${d.k}`, domain: `customer${d.k}.example` },
      amountMinor: (d.k + 1) * 100_000,
      currency: 'USD',
      stage: d.won ? 'won' : 'lost',
      closeDate: iso(d.closed).slice(0, 10),
      ...(d.won ? {} : { lostReason: 'price' }),
    },
    shareWith: [{ partner: 'beta', role: 'co_seller' }],
    businessDates: {
      createdAt: iso(d.created),
      closedAt: iso(d.closed),
      stages: [
        { stage: 'prospect', at: iso(d.created) },
        { stage: 'qualified', at: iso(d.created + 10 * day) },
        { stage: d.won ? 'won' : 'lost', at: iso(d.closed) },
      ],
    },
  };
}

let server: TestServer;
let rest: RestCall;
let acme: TandemClient;
let ids: string[];

beforeAll(async () => {
  server = await startTestServer();
  const a = await server.company('acme');
  const b = await server.company('beta');
  acme = server.client(await a.memberToken('admin'));
  const beta = server.client(await b.memberToken('admin'));
  const invite = await acme.partnerships.invite.mutate({ partner: 'beta', partnerType: 'service' });
  await beta.partnerships.accept.mutate({ partnershipId: invite.id });
  rest = restApi(server.url, await a.memberToken('seller'));
  const pushed = await rest<{ results: { id: string }[] }>('POST', '/opportunities/batch', {
    body: { items: [...deals].reverse().map(item) },
  });
  expect(pushed.status).toBe(200);
  ids = pushed.body.results.map((r) => r.id).reverse();
  for (const id of ids) await beta.opportunities.accept.mutate({ id });
});
afterAll(() => server.stop());

describe('a CRM history pushed with its own dates', () => {
  it('keeps the business dates beside the day Tandem learned of the deal', async () => {
    const view = await acme.opportunities.get.query({ id: ids[0]! });
    expect(view.businessDates).toMatchObject({
      createdAt: iso(deals[0]!.created),
      closedAt: iso(deals[0]!.closed),
    });
    expect(view.businessDates?.stages?.map((s) => s.stage)).toEqual([
      'prospect',
      'qualified',
      'won',
    ]);
    expect(Date.parse(view.createdAt)).toBeGreaterThan(today);
  });

  it('shows the true cycle times and the quarters the pipeline was created in', async () => {
    const health = await acme.programHealth.get.query({
      from: iso(today - 740 * day).slice(0, 10),
      to: iso(today).slice(0, 10),
    });
    const won = deals.filter((d) => d.won);
    expect(health.coSold.closed).toBe(16);
    expect(health.coSold.won).toBe(won.length);
    expect(health.coSold.avgCycleDays).toBeCloseTo(
      won.reduce((s, d) => s + d.cycleDays, 0) / won.length,
      6,
    );
    const pipeline = new Map<string, number>();
    for (const d of deals)
      pipeline.set(
        quarterOf(d.created),
        (pipeline.get(quarterOf(d.created)) ?? 0) + (d.k + 1) * 1000,
      );
    expect(
      health.byQuarter
        .filter((q) => q.influencedPipeline > 0)
        .map((q) => [q.quarter, q.influencedPipeline]),
    ).toEqual([...pipeline].sort(([x], [y]) => (x < y ? -1 : 1)));
    expect(pipeline.size).toBeGreaterThanOrEqual(8);
  });

  it('takes the oldest deal by its own dates as the first deal, though it was pushed last', async () => {
    const health = await acme.programHealth.get.query({
      from: iso(today - 740 * day).slice(0, 10),
      to: iso(today).slice(0, 10),
    });
    expect(health.firstDeals.map((f) => f.dealId)).toEqual([ids[0]]);
    // The deal rooms' mark (sponsors, debrief) too: it moved back with each older deal.
    const marked = [];
    for (const id of ids)
      if ((await acme.opportunities.get.query({ id })).firstDeal) marked.push(id);
    expect(marked).toEqual([ids[0]]);
  });

  it("give the Ideal Deal Partner the partner's true cycle time", async () => {
    const ranked = await acme.idealPartners.forDraft.mutate({
      draft: { customer: { name: 'New Co' }, currency: 'USD' },
    });
    const beta = ranked.partners.find((p) => p.partner.slug === 'beta')!;
    const mean = deals.reduce((s, d) => s + d.cycleDays, 0) / deals.length;
    expect(beta.record.avgCycleDays).toBeCloseTo(mean, 6);
    expect(beta.record.closed).toBe(16);
  });

  it('come back the same when the deal tables are rebuilt from the ledger', async () => {
    const dates = () =>
      server.deps.db
        .selectFrom('opportunities')
        .select(['id', 'business_created_at', 'business_closed_at', 'stage_history'])
        .orderBy('id')
        .execute();
    const live = await dates();
    await rebuildDealProjections(server.deps.db);
    expect(await dates()).toEqual(live);
    expect(live.filter((d) => d.stage_history !== null)).toHaveLength(16);
  });

  it('changes nothing when the same history is pushed again', async () => {
    const before = await acme.opportunities.get.query({ id: ids[3]! });
    const again = await rest<{ results: { version: number }[] }>('POST', '/opportunities/batch', {
      body: { items: [item(deals[3]!)] },
    });
    expect(again.body.results[0]!.version).toBe(before.version);
  });
});

describe('business dates that do not hold together', () => {
  const refused = async (
    businessDates: unknown,
    fields: Partial<ReturnType<typeof item>['fields']> = {},
  ) => {
    const good = item(deals[5]!);
    const answer = await rest<RestErrorBody>('POST', '/opportunities/batch', {
      body: {
        items: [
          item(deals[4]!),
          { ...good, externalRef: 'BAD-1', fields: { ...good.fields, ...fields }, businessDates },
        ],
      },
    });
    expect(answer.status).toBe(400);
    return answer.body.error.issues?.map((i) => i.path);
  };

  it('are refused with the field path when a date lies in the future', async () => {
    expect(await refused({ createdAt: iso(today + 3 * day) })).toContain(
      'items.1.businessDates.createdAt',
    );
  });

  it('are refused when the deal closed before it was created', async () => {
    expect(
      await refused({ createdAt: iso(deals[5]!.closed + day), closedAt: iso(deals[5]!.closed) }),
    ).toEqual(['items.1.businessDates.closedAt', 'items.1.fields.closeDate']);
  });

  it('are refused when an open deal has a close time', async () => {
    expect(
      await refused(
        { closedAt: iso(today - 5 * day) },
        { stage: 'qualified', closeDate: undefined, lostReason: undefined },
      ),
    ).toEqual(['items.1.businessDates.closedAt']);
  });

  it('are refused when the stages are out of order or outside the deal', async () => {
    const d = deals[5]!;
    expect(
      await refused({
        createdAt: iso(d.created),
        closedAt: iso(d.closed),
        stages: [
          { stage: 'qualified', at: iso(d.created + 5 * day) },
          { stage: 'prospect', at: iso(d.created + day) },
          { stage: 'lost', at: iso(d.closed + day) },
        ],
      }),
    ).toEqual(['items.1.businessDates.stages.1.at', 'items.1.businessDates.stages.2.at']);
  });

  it('are refused on a single upsert too, naming the field', async () => {
    const answer = await rest<RestErrorBody>('PUT', '/opportunities/by-ref/ONE-1', {
      body: {
        ...item(deals[6]!),
        externalRef: undefined,
        businessDates: { createdAt: '2999-01-01' },
      },
    });
    expect(answer.status).toBe(400);
    expect(answer.body.error.issues?.map((i) => i.path)).toContain('businessDates.createdAt');
  });
});
