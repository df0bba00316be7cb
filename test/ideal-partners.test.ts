import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TandemClient } from '../client/sdk/tandem-client.ts';
import { segments } from '../shared/opportunities/opportunity-fields.ts';
import { buildInWorker, buildInsights } from '../server/insights/insights-build.ts';
import { InsightsCache } from '../server/insights/insights-cache.ts';
import { issueAccessToken } from '../server/tenants/tokens/token-issuer.ts';
import { startTestServer, type TestServer } from './kit/harness.ts';
import {
  heldOutDrafts,
  plantedPartners,
  revenueRank,
  seedPlantedHistory,
  trueBest,
} from './kit/planted-world.ts';
import { refusal } from './kit/refusal.ts';

let server: TestServer;
let vendor: TandemClient;
let entpro: TandemClient;

async function tokenFor(companyId: string, memberId: string): Promise<string> {
  return (
    await issueAccessToken(server.deps, { companyId }, { subject: memberId, ttlSeconds: 900 })
  ).token;
}

beforeAll(async () => {
  server = await startTestServer();
  const seeded = await seedPlantedHistory(server.deps, {
    vendor: 'vendor',
    deals: 2000,
    seed: 8,
    now: new Date(),
  });
  vendor = server.client(await tokenFor(seeded.vendor.companyId, seeded.vendor.id));
  const entproId = seeded.partnerIds.get('entpro')!;
  const entproAdmin = await server.deps.db
    .selectFrom('members')
    .select('id')
    .where('company_id', '=', entproId)
    .executeTakeFirstOrThrow();
  entpro = server.client(await tokenFor(entproId, entproAdmin.id));
}, 120_000);
afterAll(() => server.stop());

describe('Ideal Deal Partner', () => {
  it('builds the same insights in a worker thread, on its own connection, as on the event loop', async () => {
    const scope = { companyId: (await vendor.companies.me.query()).company.id };
    const now = new Date();
    const here = await buildInsights({ ...server.deps, clock: { now: () => now } }, scope);
    const there = await buildInWorker(server.deps.config, scope, now);
    expect(here.model.trainingRows).toBeGreaterThan(100);
    expect(there.head).toBe(here.head);
    expect(there.builtAt).toEqual(now);
    expect(there.stats).toEqual(here.stats);
    expect(there.model).toEqual(here.model);
    // A cache that sends every company to a worker serves the same entry.
    const cache = new InsightsCache({ workerFromDeals: 0 });
    const cached = await cache.get({ ...server.deps, clock: { now: () => now } }, scope);
    expect(cached.model).toEqual(here.model);
  });

  it('puts the planted best partner first on held-out deals far more often than revenue rank', async () => {
    const drafts = heldOutDrafts(99, 120);
    const byRevenue = await revenueRank(
      server.deps,
      (await vendor.companies.me.query()).company.id,
    );
    let top1 = 0;
    let top3 = 0;
    let baseline1 = 0;
    let baseline3 = 0;
    for (const draft of drafts) {
      const best = trueBest(draft.customer.segment);
      const ranked = await vendor.idealPartners.forDraft.mutate({ draft, limit: 3 });
      const slugs = ranked.partners.map((p) => p.partner.slug);
      if (slugs[0] === best) top1++;
      if (slugs.includes(best)) top3++;
      if (byRevenue[0] === best) baseline1++;
      if (byRevenue.slice(0, 3).includes(best)) baseline3++;
    }
    const n = drafts.length;
    expect(top1 / n).toBeGreaterThanOrEqual(0.8);
    expect(top1 / n - baseline1 / n).toBeGreaterThanOrEqual(0.5);
    expect(top3 / n).toBeGreaterThan(baseline3 / n);
  });

  it('learns its weights from the closed deals and shows them with the prior', async () => {
    const w = await vendor.idealPartners.weights.query();
    expect(w.source).toBe('learned');
    expect(w.trainingRows).toBeGreaterThan(1000);
    const record = w.weights.find((x) => x.feature === 'cellRecord')!;
    expect(record.weight).toBeGreaterThan(0);
    expect(w.weights.map((x) => x.feature)).toContain('motionFit');
  });

  it('answers the ranking in the response that creates a deal', async () => {
    for (const segment of segments) {
      const deal = await vendor.opportunities.create.mutate({
        fields: {
          title: `New ${segment} deal`,
          customer: { name: `New ${segment}`, segment },
          amountMinor: 5_000_000,
          currency: 'USD',
        },
      });
      expect(deal.idealPartners?.partners[0]?.partner.slug).toBe(trueBest(segment));
      expect(deal.idealPartners?.partners).toHaveLength(5);
      const again = await vendor.idealPartners.forDeal.query({ id: deal.id, limit: 50 });
      expect(again.partners).toHaveLength(plantedPartners.length);
      const record = again.partners[0]!.reasons.find((r) => r.factor === 'cellRecord');
      expect(record?.detail).toMatch(/^won \d+ of \d+ .* with you; your average there is \d+%$/);
    }
  });

  it('gives a partner account signal only as far as the partner shares, in both directions', async () => {
    await vendor.accounts.upload.mutate({
      accounts: [{ domain: 'shared-customer.example', name: 'Shared', status: 'opportunity' }],
    });
    await entpro.accounts.upload.mutate({
      accounts: [
        { domain: 'shared-customer.example', name: 'Shared', status: 'customer' },
        { domain: 'only-entpro.example', name: 'Theirs alone', status: 'customer' },
      ],
    });
    const ask = async (domain: string) => {
      const r = await vendor.idealPartners.forDraft.mutate({
        draft: { customer: { domain, segment: 'smb' } },
        limit: 50,
      });
      return r.partners.find((p) => p.partner.slug === 'entpro')!;
    };
    const none = await ask('shared-customer.example');
    expect(none.accounts).toEqual({ theyShare: 'none', customerStatus: null });
    // Nothing shared, nothing to say about the customer.
    expect(none.reasons.find((r) => r.factor === 'customerIsTheirCustomer')).toBeUndefined();

    await entpro.accounts.setSharing.mutate({ partner: 'vendor', level: 'counts' });
    expect((await ask('shared-customer.example')).accounts).toEqual({
      theyShare: 'counts',
      customerStatus: null,
    });

    await entpro.accounts.setSharing.mutate({ partner: 'vendor', level: 'accounts' });
    const shared = await ask('shared-customer.example');
    expect(shared.accounts).toEqual({ theyShare: 'accounts', customerStatus: 'customer' });
    expect(shared.reasons.find((r) => r.factor === 'customerIsTheirCustomer')?.detail).toMatch(
      /as a customer/,
    );
    // A domain the vendor does not hold is no overlap: a draft cannot probe the partner's list.
    expect((await ask('only-entpro.example')).accounts.customerStatus).toBeNull();

    // The other direction: the vendor shares nothing with entpro, so entpro learns nothing.
    await entpro.accounts.upload.mutate({
      accounts: [{ domain: 'shared-customer.example', name: 'Shared', status: 'customer' }],
    });
    const back = await entpro.idealPartners.forDraft.mutate({
      draft: { customer: { domain: 'shared-customer.example' } },
    });
    expect(back.partners[0]!.accounts).toEqual({ theyShare: 'none', customerStatus: null });
  });

  it('says so when the history is too thin to learn from, and ranks on the prior', async () => {
    const fresh = await seedPlantedHistory(server.deps, {
      vendor: 'fresh',
      deals: 8,
      seed: 3,
      now: new Date(),
      partners: plantedPartners.map((p) => ({ ...p, slug: `${p.slug}-b` })),
    });
    const client = server.client(await tokenFor(fresh.vendor.companyId, fresh.vendor.id));
    const ranked = await client.idealPartners.forDraft.mutate({
      draft: { customer: { segment: 'smb', industry: 'Retail' } },
      limit: 50,
    });
    expect(ranked.model.source).toBe('prior');
    expect(ranked.model.note).toMatch(/^Only \d+ closed deals with partners so far/);
    for (const p of ranked.partners.filter((x) => x.record.closed < 5)) {
      expect(p.record.thin).toBe(true);
      expect(p.reasons.find((r) => r.factor === 'cellRecord')?.detail).toMatch(/too few to judge/);
    }
  });

  it('refuses a deal the caller does not take part in', async () => {
    const deal = await vendor.opportunities.create.mutate({
      fields: { title: 'Private', customer: { name: 'P' }, amountMinor: 1, currency: 'USD' },
    });
    expect((await refusal(entpro.idealPartners.forDeal.query({ id: deal.id }))).data?.code).toBe(
      'NotFound',
    );
  });
});
