import { currencyExponents } from '../../shared/money/currencies.ts';
import type { HistoryDeal } from '../../shared/insights/deal-history.ts';
import type { AccountSignal } from '../../shared/insights/partner-features.ts';
import type { PartnerType } from '../../shared/tenancy/tenancy.ts';
import type { Executor } from '../store/db.ts';
import { markFirstDeals } from './first-deals.ts';
import type { CompanyScope } from '../tenants/principal.ts';

const time = (iso: string) => Date.parse(iso.length === 10 ? `${iso}T00:00:00Z` : iso);

/**
 * Every deal the company takes part in (accepted), with its partners and step activity: two
 * queries whatever the number of deals. Partners are the other accepted participants. Dates are
 * the deal's own from the CRM where it sent them, and first deals follow them (markFirstDeals).
 */
export async function loadHistory(db: Executor, scope: CompanyScope): Promise<HistoryDeal[]> {
  // One pass over the company's deals, a row per (deal, partner) or (deal, no partner).
  const rows = await db
    .selectFrom('opportunity_participants as me')
    .innerJoin('opportunities as o', 'o.id', 'me.opportunity_id')
    .leftJoin('opportunity_participants as p', (j) =>
      j
        .onRef('p.opportunity_id', '=', 'me.opportunity_id')
        .on('p.company_id', '!=', scope.companyId)
        .on('p.status', '=', 'accepted'),
    )
    .select([
      'o.id',
      'o.status',
      'o.created_at',
      'o.close_date',
      'o.business_created_at',
      'o.business_closed_at',
      'o.amount_minor',
      'o.currency',
      'o.customer_segment',
      'o.customer_industry',
      'o.customer_country',
      'o.customer_domain',
      'o.motion',
      'o.originator_id',
      'p.company_id as partner_id',
      'p.role as partner_role',
    ])
    .where('me.company_id', '=', scope.companyId)
    .where('me.status', '=', 'accepted')
    .execute();
  const steps = await db
    .selectFrom('opportunity_participants as me')
    .innerJoin('co_sell_steps as s', 's.opportunity_id', 'me.opportunity_id')
    .select([
      's.opportunity_id',
      (eb) => eb.fn.max('s.updated_at').as('last_done'),
      (eb) =>
        eb.fn.max(eb.case().when('s.play', '=', 'debrief').then(1).else(0).end()).as('debrief'),
    ])
    .where('me.company_id', '=', scope.companyId)
    .where('me.status', '=', 'accepted')
    .where('s.status', '=', 'done')
    .groupBy('s.opportunity_id')
    .execute();
  const stepsOf = new Map(steps.map((s) => [s.opportunity_id, s]));
  const deals = new Map<string, HistoryDeal>();
  for (const d of rows) {
    let deal = deals.get(d.id);
    if (!deal) {
      const s = stepsOf.get(d.id);
      deal = {
        id: d.id,
        status: d.status,
        // The deal's own dates from the CRM when it sent them, else when Tandem learned of it.
        createdAt: time(d.business_created_at ?? d.created_at),
        closedAt:
          d.status === 'open'
            ? null
            : d.business_closed_at
              ? time(d.business_closed_at)
              : d.close_date
                ? time(d.close_date)
                : null,
        amount: d.amount_minor / 10 ** (currencyExponents[d.currency] ?? 2),
        currency: d.currency,
        segment: d.customer_segment,
        industry: d.customer_industry,
        country: d.customer_country,
        domain: d.customer_domain,
        motion: d.motion,
        mine: d.originator_id === scope.companyId,
        partners: [],
        lastStepDoneAt: s?.last_done ? time(s.last_done) : null,
        debriefDone: Number(s?.debrief ?? 0) === 1,
      };
      deals.set(d.id, deal);
    }
    if (d.partner_id)
      deal.partners.push({
        id: d.partner_id,
        role: d.partner_role ?? '',
        firstDeal: false,
      });
  }
  const history = [...deals.values()];
  markFirstDeals(history);
  return history;
}

export interface ActivePartner {
  id: string;
  slug: string;
  name: string;
  type: PartnerType;
  tier: string;
  /** What this partner lets the company see of its accounts. */
  theyShare: 'none' | 'counts' | 'accounts';
}

/**
 * The company's active partners, with their type and what each shares of its accounts. One query
 * per direction of the partnership, each joining companies by primary key (an `or` in the join
 * made SQLite compare every partnership with every company).
 */
export async function activePartners(db: Executor, scope: CompanyScope): Promise<ActivePartner[]> {
  const side = (mine: 'p.inviter_id' | 'p.invitee_id', theirs: 'p.inviter_id' | 'p.invitee_id') =>
    db
      .selectFrom('partnerships as p')
      .innerJoin('companies as c', 'c.id', theirs)
      .select(['c.id', 'c.slug', 'c.name', 'p.partner_type', 'p.tier'])
      .where(mine, '=', scope.companyId)
      .where('p.status', '=', 'active')
      .execute();
  const [sent, received, rules] = [
    await side('p.inviter_id', 'p.invitee_id'),
    await side('p.invitee_id', 'p.inviter_id'),
    await db
      .selectFrom('overlap_rules')
      .select(['owner_id', 'level'])
      .where('partner_id', '=', scope.companyId)
      .execute(),
  ];
  const level = new Map(rules.map((r) => [r.owner_id, r.level]));
  return [...sent, ...received]
    .map((r) => ({
      id: r.id,
      slug: r.slug,
      name: r.name,
      type: r.partner_type,
      tier: r.tier,
      theyShare: level.get(r.id) ?? 'none',
    }))
    .sort((a, b) => (a.slug < b.slug ? -1 : a.slug > b.slug ? 1 : 0));
}

/**
 * Where a customer stands in each partner's list, for partners that share accounts with the company
 * and only when the company holds the account too: exactly the overlap the partner's rule shows.
 * (Asking about a domain the company does not hold would let a draft deal probe a partner's list.)
 */
export async function accountSignals(
  db: Executor,
  scope: CompanyScope,
  domains?: readonly string[],
): Promise<Map<string, Map<string, AccountSignal>>> {
  const out = new Map<string, Map<string, AccountSignal>>();
  // Without domains: every shared overlap at once (bounded by the company's own list).
  const chunks: (readonly string[] | undefined)[] = domains ? [] : [undefined];
  for (let i = 0; domains && i < domains.length; i += 500) chunks.push(domains.slice(i, i + 500));
  for (const chunk of chunks) {
    let query = db
      .selectFrom('accounts as mine')
      .innerJoin('accounts as theirs', 'theirs.domain', 'mine.domain')
      .innerJoin('overlap_rules as r', (j) =>
        j
          .onRef('r.owner_id', '=', 'theirs.company_id')
          .on('r.partner_id', '=', scope.companyId)
          .on('r.level', '=', 'accounts'),
      )
      .select(['theirs.company_id', 'theirs.domain', 'theirs.status'])
      .where('mine.company_id', '=', scope.companyId)
      .where('theirs.company_id', '!=', scope.companyId);
    if (chunk) query = query.where('mine.domain', 'in', chunk);
    const rows = await query.execute();
    for (const r of rows) {
      const m = out.get(r.company_id) ?? new Map<string, AccountSignal>();
      m.set(r.domain, r.status);
      out.set(r.company_id, m);
    }
  }
  return out;
}

/** The ledger's head: moves with every deal change anywhere, so a cache built before it is stale. */
export async function ledgerHead(db: Executor): Promise<number> {
  const row = await db
    .selectFrom('ledger_events')
    .select((eb) => eb.fn.max('seq').as('head'))
    .executeTakeFirst();
  return Number(row?.head ?? 0);
}

/** How many deals the company takes part in (accepted): the size of its history. */
export async function participationCount(db: Executor, scope: CompanyScope): Promise<number> {
  const row = await db
    .selectFrom('opportunity_participants')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('company_id', '=', scope.companyId)
    .where('status', '=', 'accepted')
    .executeTakeFirstOrThrow();
  return row.n;
}
