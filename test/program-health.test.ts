import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TandemClient } from '../client/sdk/tandem-client.ts';
import type { AppDeps } from '../server/deps.ts';
import { createDeal, updateDeal } from '../server/opportunities/opportunity.service.ts';
import { acceptInvitation } from '../server/opportunities/sharing.service.ts';
import { addStep, updateStep } from '../server/plan/step.service.ts';
import {
  acceptPartnership,
  invitePartner,
} from '../server/tenants/partnerships/partnership.service.ts';
import type { Principal } from '../server/tenants/principal.ts';
import { issueAccessToken } from '../server/tenants/tokens/token-issuer.ts';
import { startTestServer, type TestServer } from './kit/harness.ts';
import { adminOf, FixedClock } from './kit/planted-world.ts';

/**
 * A hand-computed fixture for program health over 2026-01-01 … 2026-06-30 (all amounts USD unless
 * said). Partners p01…p11 and "paper":
 * - D1…D11: created 03-01 with pk, amount k × 1,000, won: D1…D9 on 04-10 (40 days), D10 and D11 on
 *   03-20 (19 days). D2…D11 are first deals (p01's first was OOW); D2…D5 have their debrief done.
 * - OOW: p01, created 2025-10-01, won 2025-12-01 (2,000): outside the window.
 * - L1: p01, created 02-01, lost 05-01 (3,000). O11: p11, created 05-01, open (4,000), a step done
 *   06-15. S1: created by p02 (partner-sourced) 04-01, won 06-01 (20,000).
 * - Not co-sold: N1 won (01-15 → 03-16, 60 days, 5,000), N2 lost (01-10 → 02-10, 1,000), N3 won
 *   (04-01 → 05-01, 30 days, 7,000), N4 won in EUR (04-01 → 05-01, 30 days, 5,000).
 * Activated: p01…p09 (won since 04-01), p11 (step on an open deal); paper: p10, paper.
 * Co-sold closed in window: D1…D11, L1, S1 = 13, won 12; sizes (66,000 + 20,000) / 12; cycle
 * (9 × 40 + 2 × 19 + 61) / 12 = 38.25. Not co-sold: 4 closed, 3 won, USD size 6,000, cycle 40.
 * Partner revenue: pk = k × 1,000, p02 + 20,000: 86,000; top ten leave out p01: 85,000.
 */
let server: TestServer;
let api: TandemClient;
let ids: Map<string, string>;

async function seed(deps: AppDeps): Promise<Principal> {
  const clock = new FixedClock();
  const d = { ...deps, clock };
  const at = (iso: string) => (clock.at = new Date(`${iso}T00:00:00Z`));
  const acme = await adminOf(deps, 'acme');
  const partners = new Map<string, Principal>();
  for (const slug of [
    ...Array.from({ length: 11 }, (_, k) => `p${String(k + 1).padStart(2, '0')}`),
    'paper',
  ]) {
    const admin = await adminOf(deps, slug);
    const invite = await invitePartner(deps, acme, { partner: slug, partnerType: 'reseller' });
    await acceptPartnership(deps, admin, { partnershipId: invite.id });
    partners.set(slug, admin);
  }
  ids = new Map([...partners].map(([slug, p]) => [slug, p.companyId]));
  const deal = async (
    by: Principal,
    title: string,
    amount: number,
    partner?: string,
    currency = 'USD',
  ) => {
    const created = await createDeal(d, by, {
      fields: { title, customer: { name: title }, amountMinor: amount * 100, currency },
      shareWith: partner ? [{ partner, role: 'co_seller' }] : [],
    });
    if (partner) {
      const p = partner === 'acme' ? acme : partners.get(partner)!;
      await acceptInvitation(d, p, { id: created.id });
    }
    return created.id;
  };
  const close = (by: Principal, id: string, stage: 'won' | 'lost', date: string) =>
    updateDeal(d, by, {
      id,
      patch: {
        stage,
        closeDate: date,
        ...(stage === 'lost' ? { lostReason: 'price' as const } : {}),
      },
    });

  at('2025-10-01');
  const oow = await deal(acme, 'OOW', 2000, 'p01');
  at('2025-12-01');
  await close(acme, oow, 'won', '2025-12-01');
  at('2026-01-10');
  const n2 = await deal(acme, 'N2', 1000);
  at('2026-01-15');
  const n1 = await deal(acme, 'N1', 5000);
  at('2026-02-01');
  const l1 = await deal(acme, 'L1', 3000, 'p01');
  at('2026-02-10');
  await close(acme, n2, 'lost', '2026-02-10');
  at('2026-03-01');
  const ds: string[] = [];
  for (let k = 1; k <= 11; k++)
    ds.push(await deal(acme, `D${k}`, k * 1000, `p${String(k).padStart(2, '0')}`));
  at('2026-03-16');
  await close(acme, n1, 'won', '2026-03-16');
  at('2026-03-20');
  await close(acme, ds[9]!, 'won', '2026-03-20');
  await close(acme, ds[10]!, 'won', '2026-03-20');
  at('2026-04-01');
  const n3 = await deal(acme, 'N3', 7000);
  const n4 = await deal(acme, 'N4', 5000, undefined, 'EUR');
  const s1 = await deal(partners.get('p02')!, 'S1', 20000, 'acme');
  at('2026-04-10');
  for (let k = 0; k < 9; k++) await close(acme, ds[k]!, 'won', '2026-04-10');
  at('2026-05-01');
  await close(acme, l1, 'lost', '2026-05-01');
  await close(acme, n3, 'won', '2026-05-01');
  await close(acme, n4, 'won', '2026-05-01');
  const o11 = await deal(acme, 'O11', 4000, 'p11');
  const intro = await addStep(d, acme, {
    dealId: o11,
    step: { play: 'intro', ownerCompanyId: ids.get('p11')! },
  });
  at('2026-05-10');
  for (const id of ds.slice(1, 5)) {
    const debrief = await deps.db
      .selectFrom('co_sell_steps')
      .select('id')
      .where('opportunity_id', '=', id)
      .where('play', '=', 'debrief')
      .executeTakeFirstOrThrow();
    await updateStep(d, acme, { dealId: id, stepId: debrief.id, patch: { status: 'done' } });
  }
  at('2026-06-01');
  await close(partners.get('p02')!, s1, 'won', '2026-06-01');
  at('2026-06-15');
  await updateStep(d, acme, { dealId: o11, stepId: intro.id, patch: { status: 'done' } });
  return acme;
}

beforeAll(async () => {
  server = await startTestServer();
  const acme = await seed(server.deps);
  const token = await issueAccessToken(server.deps, acme, { subject: acme.id, ttlSeconds: 900 });
  api = server.client(token.token);
});
afterAll(() => server.stop());

describe('program health', () => {
  it('matches the hand-computed activation, concentration and co-sold figures', async () => {
    const h = await api.programHealth.get.query({ from: '2026-01-01', to: '2026-06-30' });
    expect(h.window.currency).toBe('USD');
    expect(h.partners).toMatchObject({ activated: 10, paper: 2 });
    const paper = h.partners.list.filter((p) => !p.activated).map((p) => p.partner.slug);
    expect(paper.sort()).toEqual(['p10', 'paper']);
    expect(h.partners.list.find((p) => p.partner.slug === 'p11')?.why).toMatch(/co-sell step/);

    expect(h.concentration.partnerRevenue).toBe(86_000);
    expect(h.concentration.topTenRevenue).toBe(85_000);
    expect(h.concentration.topTenShare).toBeCloseTo(85 / 86, 10);
    expect(h.concentration.top[0]).toMatchObject({ partner: { slug: 'p02' }, amount: 22_000 });

    expect(h.coSold).toMatchObject({ closed: 13, won: 12 });
    expect(h.coSold.winRate).toBeCloseTo(12 / 13, 10);
    expect(h.coSold.avgDealSize).toBeCloseTo(86_000 / 12, 6);
    expect(h.coSold.avgCycleDays).toBeCloseTo(38.25, 6);
    expect(h.notCoSold).toMatchObject({ closed: 4, won: 3, avgDealSize: 6000 });
    expect(h.notCoSold.winRate).toBeCloseTo(0.75, 10);
    expect(h.notCoSold.avgCycleDays).toBeCloseTo(40, 6);
    expect(h.otherCurrencyDeals).toBe(1);
  });

  it('splits sourced and influenced pipeline and revenue by quarter', async () => {
    const h = await api.programHealth.get.query({ from: '2026-01-01', to: '2026-06-30' });
    expect(h.byQuarter).toEqual([
      {
        quarter: '2026-Q1',
        sourcedPipeline: 0,
        influencedPipeline: 69_000,
        sourcedRevenue: 0,
        influencedRevenue: 21_000,
      },
      {
        quarter: '2026-Q2',
        sourcedPipeline: 20_000,
        influencedPipeline: 4_000,
        sourcedRevenue: 20_000,
        influencedRevenue: 45_000,
      },
    ]);
  });

  it('lists the first deals of the window and whether their debriefs happened', async () => {
    const h = await api.programHealth.get.query({ from: '2026-01-01', to: '2026-06-30' });
    expect(h.firstDeals).toHaveLength(10);
    const count = (d: string) => h.firstDeals.filter((f) => f.debrief === d).length;
    expect([count('done'), count('missing'), count('not_due')]).toEqual([4, 6, 0]);
    expect(h.firstDeals.flatMap((f) => f.partners)).not.toContain(ids.get('p01'));
  });

  it('refuses a window that ends before it starts', async () => {
    await expect(
      api.programHealth.get.query({ from: '2026-07-01', to: '2026-06-30' }),
    ).rejects.toMatchObject({ data: { code: 'ValidationFailed' } });
  });
});
