import { setOverlapSharing, uploadAccounts } from '../accounts/account.service.ts';
import type { Segment } from '../../shared/opportunities/opportunity-fields.ts';
import type { Stage } from '../../shared/opportunities/stages.ts';
import { roleScopes, type MemberRole } from '../../shared/tenancy/tenancy.ts';
import type { AppDeps } from '../deps.ts';
import { proposeAttribution, signAttribution } from '../attribution/attribution.service.ts';
import type { Clock } from '../core/clock.ts';
import type { Logger } from '../core/logger.ts';
import { createDeal, updateDeal, upsertDeal } from '../opportunities/opportunity.service.ts';
import {
  acceptInvitation,
  declineInvitation,
  setSponsor,
} from '../opportunities/sharing.service.ts';
import { addStep, updateStep } from '../plan/step.service.ts';
import { createCompany } from '../tenants/companies/company.service.ts';
import { addMember } from '../tenants/members/member.service.ts';
import { acceptPartnership, invitePartner } from '../tenants/partnerships/partnership.service.ts';
import type { Principal } from '../tenants/principal.ts';
import {
  customers,
  email,
  partners,
  projects,
  roles,
  vendor,
  type DemoPartner,
} from './demo-world.ts';
import { seededRandom } from '../../shared/random/seeded-random.ts';
import { bulkLoad } from '../store/bulk-load.ts';
import { OpenTitles } from './open-titles.ts';
import { seedDuplicates, type DemoDeal } from './seed-duplicates.ts';

const day = 86_400_000;
type StageMove = { stage: Stage; at: string };
const openStages = [
  'prospect',
  'qualified',
  'technical_validation',
  'business_validation',
  'committed',
] as const;
const lostReasons = [
  'price',
  'lost_to_competitor',
  'delay_or_cancellation',
  'no_opportunity',
  'technical_limitations',
] as const;

/** Time for the seed: each change is stamped with when it happened in the demo's history. */
class DemoClock implements Clock {
  constructor(public at: Date) {}
  now(): Date {
    return this.at;
  }
}

type Team = Record<MemberRole, Principal>;

async function company(
  deps: AppDeps,
  slug: string,
  name: string,
): Promise<{ id: string; team: Team }> {
  const created = await createCompany(deps, { slug, name });
  const team = {} as Team;
  for (const role of roles) {
    const m = await addMember(
      deps,
      { companyId: created.id },
      { email: email(role, slug), name: `${name} ${role}`, role },
    );
    team[role] = {
      companyId: created.id,
      kind: 'member',
      id: m.id,
      scopes: new Set(roleScopes[role]),
      token: { issuer: 'demo', jti: 'demo', expiresAt: 0 },
    };
  }
  return { id: created.id, team };
}

/**
 * Seeds the demo into an empty data directory: Northwind Cloud and six partners (two of them paper
 * partners), account lists with overlap, ~300 opportunities over the last 18 months through the real services (so the ledger
 * and the projections are genuine), with co-sell steps, wins and losses, and sealed attributions.
 * Deterministic for a given seed and day.
 */
export async function seedDemo(
  deps: AppDeps,
  clock: DemoClock,
  seed = 42,
): Promise<{ deals: number; sealed: number; duplicates: number }> {
  const rnd = seededRandom(seed);
  const today = new Date(new Date().toISOString().slice(0, 10) + 'T12:00:00Z').getTime();
  const at = (t: number) => (clock.at = new Date(Math.min(t, today)));
  at(today - 600 * day);
  const v = await company(deps, vendor.slug, vendor.name);
  const ps = new Map<string, { p: DemoPartner; id: string; team: Team }>();
  for (const p of partners) {
    const c = await company(deps, p.slug, p.name);
    const invite = await invitePartner(deps, v.team.alliance, {
      partner: p.slug,
      partnerType: p.type,
      tier: p.tier,
    });
    await acceptPartnership(deps, c.team.alliance, { partnershipId: invite.id });
    ps.set(p.slug, { p, ...c });
  }
  await seedAccounts(deps, v.team.alliance, [...ps.values()], rnd);
  const weighted = [...partners.map((p) => [p.slug, p.weight] as const), ['direct', 25] as const];
  let sealed = 0;
  const total = 300;
  const titles = new OpenTitles();
  const openShared: DemoDeal[] = [];
  for (let i = 0; i < total; i++) {
    const created = today - rnd.int(10, 540) * day;
    let slug = rnd.weighted(weighted);
    // Paper partners: signed up, but nothing in the last seven months.
    if (slug === 'orbit' || slug === 'deltaoem') if (created > today - 210 * day) slug = 'direct';
    const partner = slug === 'direct' ? undefined : ps.get(slug)!;
    const cycle = rnd.int(35, 200) * day;
    const [name, domain, country, segment, industry] = rnd.pick(customers);
    const amountMinor = Math.round((10_000 * Math.exp(rnd.next() * 3.9)) / 100) * 100 * 100;
    const currency = rnd.weighted([
      ['USD', 70],
      ['EUR', 22],
      ['GBP', 8],
    ] as const);
    const closesAt = created + cycle;
    const closed = closesAt < today;
    // One customer's concurrent deals get distinct names, as in a CRM: only the pairs
    // seedDuplicates plants are duplicates.
    const title = titles.claim(domain, rnd.pick(projects), created, closed ? closesAt : Infinity);
    at(created);
    const externalRef = `NW-${String(10_000 + i)}`;
    const deal = await createDeal(deps, v.team.seller, {
      externalRef,
      businessDates: { createdAt: new Date(created).toISOString() },
      fields: {
        title,
        customer: { name, domain, country, segment, industry },
        amountMinor,
        currency,
        expectedCloseDate: new Date(created + cycle).toISOString().slice(0, 10),
        products: [rnd.pick(['platform', 'analytics', 'security', 'ml'])],
        motion:
          partner?.p.type === 'marketplace'
            ? 'marketplace'
            : partner?.p.type === 'reseller'
              ? 'resell'
              : partner?.p.type === 'referral'
                ? 'referral'
                : 'co_sell',
        helpRequested: [
          rnd.pick([
            'technical_consultation',
            'deal_support',
            'pricing_assistance',
            'business_presentation',
          ] as const),
        ],
        contacts: [{ name: `${name} buyer`, email: `buyer@${domain}` }],
        notes: 'Seeded demo opportunity.',
      },
      shareWith: partner
        ? [
            {
              partner: partner.p.slug,
              role: partner.p.type === 'reseller' ? 'reseller' : 'co_seller',
            },
          ]
        : [],
    });
    let shared = false;
    if (partner) {
      at(created + rnd.int(1, 5) * day);
      if (rnd.next() < 0.9) {
        await acceptInvitation(deps, partner.team.alliance, { id: deal.id });
        shared = true;
      } else
        await declineInvitation(deps, partner.team.alliance, {
          id: deal.id,
          reason: 'unable_to_support',
        });
    }
    if (shared && deal.firstDeal) {
      await setSponsor(deps, v.team.admin, { id: deal.id, sponsor: 'VP Alliances' });
      await setSponsor(deps, partner!.team.admin, { id: deal.id, sponsor: 'Head of Partnerships' });
    }
    const owner = shared ? partner!.id : v.id;
    const intro = shared
      ? await addStep(deps, v.team.alliance, {
          dealId: deal.id,
          step: {
            play: 'intro',
            ownerCompanyId: owner,
            dueDate: new Date(created + 7 * day).toISOString().slice(0, 10),
          },
        })
      : undefined;
    const chance = shared
      ? (partner!.p.segmentWin?.[segment as Segment] ?? partner!.p.winRate)
      : 0.28;
    const won = closed && rnd.next() < chance;
    const reach = closed
      ? won
        ? openStages.length
        : rnd.int(1, openStages.length)
      : Math.min(
          openStages.length,
          1 + Math.floor(((today - created) / cycle) * openStages.length),
        );
    // The deal's own dates, as its CRM would push them with the last change.
    const moves: StageMove[] = [{ stage: 'prospect', at: new Date(created).toISOString() }];
    let view = deal;
    for (let s = 1; s < reach; s++) {
      at(created + (cycle * s) / openStages.length);
      moves.push({ stage: openStages[s]!, at: clock.at.toISOString() });
      view = await updateDeal(
        deps,
        shared && s % 2 === 0 ? partner!.team.alliance : v.team.seller,
        {
          id: deal.id,
          patch: { stage: openStages[s]!, nextStep: `Move to ${openStages[Math.min(s + 1, 4)]}` },
        },
      );
      if (s === 1 && intro)
        await updateStep(deps, shared ? partner!.team.alliance : v.team.alliance, {
          dealId: deal.id,
          stepId: intro.id,
          patch: { status: 'done', outcome: 'Intro held; need confirmed' },
        });
      if (s === 2)
        await addStep(deps, v.team.alliance, {
          dealId: deal.id,
          step: { play: 'technical_validation', ownerCompanyId: owner, status: 'doing' },
        });
    }
    if (!closed) {
      if (moves.length > 1) await pushDates(deps, v.team.seller, externalRef, view, { moves });
      if (shared)
        openShared.push({ id: deal.id, title, customer: name, domain, partner: partner!.p.slug });
      continue;
    }
    at(closesAt);
    const closeDate = new Date(closesAt).toISOString().slice(0, 10);
    view = await updateDeal(deps, v.team.seller, {
      id: deal.id,
      patch: won
        ? { stage: 'won', closeDate }
        : { stage: 'lost', closeDate, lostReason: rnd.pick(lostReasons) },
    });
    moves.push({ stage: won ? 'won' : 'lost', at: clock.at.toISOString() });
    await pushDates(deps, v.team.seller, externalRef, view, { moves, closedAt: clock.at });
    if (!won || !shared || closesAt + 6 * day > today) continue;
    at(closesAt + 2 * day);
    const partnerSourced = rnd.next() < 0.35;
    await proposeAttribution(deps, v.team.finance, {
      dealId: deal.id,
      // Northwind reports in USD: a deal in another currency freezes the rate at its close.
      ...(currency === 'USD'
        ? {}
        : { reporting: { [v.id]: { currency: 'USD', rate: usdRate(currency, closesAt) } } }),
      splits: [
        {
          companyId: v.id,
          kind: partnerSourced ? 'fulfilment' : 'sourced',
          bps: partnerSourced ? 4000 : 7000,
        },
        {
          companyId: partner!.id,
          kind: partnerSourced ? 'sourced' : 'influenced',
          bps: partnerSourced ? 6000 : 3000,
        },
      ],
    });
    at(closesAt + 3 * day);
    await signAttribution(deps, v.team.finance, { dealId: deal.id, version: 1 });
    at(closesAt + 5 * day);
    await signAttribution(deps, partner!.team.finance, { dealId: deal.id, version: 1 });
    sealed++;
  }
  at(today - 2 * day);
  const duplicates = await seedDuplicates(
    deps,
    openShared,
    (slug) => ps.get(slug)!.team.alliance,
    v.team.alliance,
  );
  return { deals: total + duplicates, sealed, duplicates };
}

/**
 * The demo's USD rate of a currency on a day: a smooth made-up curve around a plausible level (no
 * random draw, so the seed's sequence, and every deal after, stays as it was).
 */
function usdRate(currency: 'EUR' | 'GBP', t: number): string {
  const base = currency === 'EUR' ? 1.08 : 1.27;
  return (base + 0.04 * Math.sin(t / (120 * day))).toFixed(4);
}

/** Records a deal's own dates as its CRM pushes them: an upsert that changes only the dates. */
async function pushDates(
  deps: AppDeps,
  seller: Principal,
  externalRef: string,
  view: Awaited<ReturnType<typeof updateDeal>>,
  dates: { moves: StageMove[]; closedAt?: Date },
): Promise<void> {
  await upsertDeal(deps, seller, {
    externalRef,
    fields: view.fields!,
    businessDates: {
      createdAt: dates.moves[0]!.at,
      ...(dates.closedAt ? { closedAt: dates.closedAt.toISOString() } : {}),
      stages: dates.moves,
    },
  });
}

const statuses = ['customer', 'opportunity', 'prospect'] as const;

/**
 * Account lists with overlap: the vendor's ~170 accounts, each partner's own list sharing a slice of
 * them; the busy partners share overlapping accounts with the vendor, one shares counts only, the
 * paper partners nothing. The vendor shares counts with everyone.
 */
async function seedAccounts(
  deps: AppDeps,
  vendorActor: Principal,
  ps: { p: DemoPartner; team: Team }[],
  rnd: ReturnType<typeof seededRandom>,
): Promise<void> {
  const named = customers.map(([name, domain, , segment, industry]) => ({
    domain: domain as string,
    name: name as string,
    segment: segment as string,
    industry: industry as string,
  }));
  const generated = Array.from({ length: 150 }, (_, k) => ({
    domain: `account${k}.example`,
    name: `Account ${k}`,
    segment: rnd.pick(['enterprise', 'mid_market', 'smb', 'public_sector'] as const) as string,
    industry: rnd.pick(['Retail', 'Finance', 'Healthcare', 'Technology']),
  }));
  const list = (from: typeof generated) => from.map((a) => ({ ...a, status: rnd.pick(statuses) }));
  await uploadAccounts(deps, vendorActor, { accounts: list([...named, ...generated]) });
  for (const [i, { p, team }] of ps.entries()) {
    const own = Array.from({ length: 60 }, (_, k) => ({
      domain: `${p.slug}-account${k}.example`,
      name: `${p.name} account ${k}`,
      segment: 'mid_market',
      industry: 'Retail',
    }));
    const shared = generated.slice(i * 20, i * 20 + Math.round(p.weight * 2));
    await uploadAccounts(deps, team.alliance, {
      accounts: list([...named.slice(0, 4 + i), ...shared, ...own]),
    });
    const level = p.weight >= 20 ? 'accounts' : p.weight >= 9 ? 'counts' : 'none';
    await setOverlapSharing(deps, team.alliance, { partner: vendor.slug, level });
    await setOverlapSharing(deps, vendorActor, { partner: p.slug, level: 'counts' });
  }
}

/**
 * `npm start` on an empty database (unless TANDEM_DEMO=0): seed the demo, then hand over. Seeding
 * is one batch job, made durable at its end (bulkLoad).
 */
export async function seedDemoIfEmpty(
  open: (clock: Clock) => Promise<AppDeps>,
  logger: Logger,
): Promise<boolean> {
  const clock = new DemoClock(new Date());
  // Opened by the caller (the composition root), with the demo's clock: the demo knows no wiring.
  const deps = await open(clock);
  try {
    const any = await deps.db.selectFrom('companies').select('id').limit(1).executeTakeFirst();
    if (any) return false;
    const started = Date.now();
    const result = await bulkLoad(deps.db, () => seedDemo(deps, clock));
    logger.info({ ...result, ms: Date.now() - started }, 'demo seeded');
    return true;
  } finally {
    await deps.db.destroy();
  }
}
