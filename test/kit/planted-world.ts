import { seededRandom } from '../../shared/random/seeded-random.ts';
import { segments, type Segment } from '../../shared/opportunities/opportunity-fields.ts';
import { roleScopes, type PartnerType } from '../../shared/tenancy/tenancy.ts';
import type { AppDeps } from '../../server/deps.ts';
import type { Clock } from '../../server/core/clock.ts';
import { inWrite } from '../../server/store/write-queue.ts';
import { createDeal } from '../../server/opportunities/opportunity.service.ts';
import { acceptInvitation } from '../../server/opportunities/sharing.service.ts';
import { createCompany } from '../../server/tenants/companies/company.service.ts';
import { addMember } from '../../server/tenants/members/member.service.ts';
import {
  acceptPartnership,
  invitePartner,
} from '../../server/tenants/partnerships/partnership.service.ts';
import type { Principal } from '../../server/tenants/principal.ts';

/**
 * A generated co-sell history with a planted truth: each partner's true win probability per
 * segment. A big reseller brings the most deals and revenue at a middling win rate everywhere;
 * four specialists each truly raise the win rate in one segment only. Ranking by revenue picks the
 * big reseller; a recommender that learns the truth picks the specialist of the deal's segment.
 */
export interface PlantedPartner {
  slug: string;
  type: PartnerType;
  /** Relative share of the vendor's partner deals. */
  volume: number;
  /** Typical deal size in major units. */
  size: number;
  win: Record<Segment, number>;
}

const flat = (p: number): Record<Segment, number> => ({
  enterprise: p,
  mid_market: p,
  smb: p,
  public_sector: p,
});

export const plantedPartners: PlantedPartner[] = [
  { slug: 'bigresell', type: 'reseller', volume: 30, size: 120_000, win: flat(0.32) },
  {
    slug: 'entpro',
    type: 'service',
    volume: 14,
    size: 60_000,
    win: { ...flat(0.18), enterprise: 0.62 },
  },
  {
    slug: 'midpro',
    type: 'technology',
    volume: 12,
    size: 40_000,
    win: { ...flat(0.2), mid_market: 0.6 },
  },
  {
    slug: 'smbpro',
    type: 'marketplace',
    volume: 12,
    size: 20_000,
    win: { ...flat(0.2), smb: 0.6 },
  },
  {
    slug: 'govpro',
    type: 'service',
    volume: 12,
    size: 50_000,
    win: { ...flat(0.18), public_sector: 0.62 },
  },
  { slug: 'steady', type: 'referral', volume: 10, size: 30_000, win: flat(0.3) },
  { slug: 'quiet', type: 'oem', volume: 4, size: 30_000, win: flat(0.25) },
];

/** The partner that truly wins most often in the segment. */
export function trueBest(segment: Segment, partners = plantedPartners): string {
  return [...partners].sort((a, b) => b.win[segment] - a.win[segment])[0]!.slug;
}

const day = 86_400_000;
const industries = ['Finance', 'Retail', 'Healthcare', 'Manufacturing'];
const countries = ['US', 'DE', 'GB'];
const motionOf: Record<PartnerType, 'co_sell' | 'resell' | 'referral' | 'marketplace'> = {
  reseller: 'resell',
  referral: 'referral',
  oem: 'resell',
  service: 'co_sell',
  marketplace: 'marketplace',
  technology: 'co_sell',
};

export class FixedClock implements Clock {
  at = new Date(0);
  now(): Date {
    return this.at;
  }
}

function actor(companyId: string, memberId: string): Principal {
  return {
    companyId,
    kind: 'member',
    id: memberId,
    scopes: new Set(roleScopes.admin),
    token: { issuer: 'planted', jti: 'planted', expiresAt: 0 },
  };
}

export async function adminOf(deps: AppDeps, slug: string): Promise<Principal> {
  const company = await createCompany(deps, { slug, name: `${slug} Inc.` });
  const m = await addMember(
    deps,
    { companyId: company.id },
    {
      email: `admin@${slug}.test`,
      name: `${slug} admin`,
      role: 'admin',
    },
  );
  return actor(company.id, m.id);
}

/**
 * Seeds `vendor` (a new company), the planted partners (active partnerships) and `deals` closed
 * deals over the 540 days before `now`, through the real services in one transaction (one commit:
 * a test-sized history in seconds). A fifth of the deals are the vendor's alone.
 */
export async function seedPlantedHistory(
  deps: AppDeps,
  input: { vendor: string; deals: number; seed: number; now: Date; partners?: PlantedPartner[] },
): Promise<{ vendor: Principal; partnerIds: Map<string, string> }> {
  const partners = input.partners ?? plantedPartners;
  const rnd = seededRandom(input.seed);
  const clock = new FixedClock();
  const vendor = await adminOf(deps, input.vendor);
  const actors = new Map<string, Principal>();
  for (const p of partners) {
    const admin = await adminOf(deps, p.slug);
    const invite = await invitePartner(deps, vendor, { partner: p.slug, partnerType: p.type });
    await acceptPartnership(deps, admin, { partnershipId: invite.id });
    actors.set(p.slug, admin);
  }
  const weighted = [...partners.map((p) => [p, p.volume] as const), [null, 25] as const];
  const now = input.now.getTime();
  await deps.db.transaction().execute(async (trx) => {
    const tx = { ...inWrite(deps, trx), clock };
    for (let i = 0; i < input.deals; i++) {
      const partner = rnd.weighted(weighted);
      const segment = rnd.pick(segments);
      const created = now - rnd.int(60, 540) * day;
      const closed = Math.min(now - day, created + rnd.int(20, 150) * day);
      const won = rnd.next() < (partner ? partner.win[segment] : 0.25);
      const size = partner?.size ?? 40_000;
      clock.at = new Date(created);
      const deal = await createDeal(tx, vendor, {
        fields: {
          title: `Planted deal ${i}`,
          customer: {
            name: `Customer ${i}`,
            domain: `customer${i}.example`,
            segment,
            industry: rnd.pick(industries),
            country: rnd.pick(countries),
          },
          amountMinor: Math.round(size * (0.5 + rnd.next())) * 100,
          currency: 'USD',
          stage: won ? 'won' : 'lost',
          closeDate: new Date(closed).toISOString().slice(0, 10),
          ...(won ? {} : { lostReason: 'price' as const }),
          motion: partner && rnd.next() < 0.7 ? motionOf[partner.type] : 'co_sell',
        },
        shareWith: partner ? [{ partner: partner.slug, role: 'co_seller' }] : [],
      });
      if (!partner) continue;
      clock.at = new Date(created + day);
      await acceptInvitation(tx, actors.get(partner.slug)!, { id: deal.id });
    }
  });
  const partnerIds = new Map([...actors].map(([slug, a]) => [slug, a.companyId]));
  return { vendor, partnerIds };
}

/** Deals the history never saw: a segment each, with the other fields drawn like the history's. */
export function heldOutDrafts(seed: number, n: number) {
  const rnd = seededRandom(seed);
  return Array.from({ length: n }, (_, i) => ({
    customer: {
      name: `Held-out ${i}`,
      segment: segments[i % segments.length]!,
      industry: rnd.pick(industries),
      country: rnd.pick(countries),
    },
    amountMinor: rnd.int(10_000, 150_000) * 100,
    currency: 'USD',
    motion: rnd.pick(['co_sell', 'resell', 'referral', 'marketplace'] as const),
  }));
}

/** Partners by total won revenue with the vendor in the history: the baseline ranking. */
export async function revenueRank(deps: AppDeps, vendorId: string): Promise<string[]> {
  const rows = await deps.db
    .selectFrom('opportunity_participants as p')
    .innerJoin('opportunities as o', 'o.id', 'p.opportunity_id')
    .innerJoin('companies as c', 'c.id', 'p.company_id')
    .innerJoin('opportunity_participants as me', (j) =>
      j.onRef('me.opportunity_id', '=', 'o.id').on('me.company_id', '=', vendorId),
    )
    .select(['c.slug', (eb) => eb.fn.sum<number>('o.amount_minor').as('revenue')])
    .where('o.status', '=', 'won')
    .where('p.company_id', '!=', vendorId)
    .where('p.status', '=', 'accepted')
    .groupBy('c.slug')
    .orderBy('revenue', 'desc')
    .execute();
  return rows.map((r) => r.slug);
}
