import { currencyExponents } from '../../shared/money/currencies.ts';
import type { HistoryDeal } from '../../shared/insights/deal-history.ts';
import type { AccountSignal } from '../../shared/insights/partner-features.ts';
import type { PartnerType } from '../../shared/tenancy/tenancy.ts';
import type { Executor } from '../core/db.ts';
import type { CompanyScope } from '../tenants/principal.ts';

const time = (iso: string) => Date.parse(iso.length === 10 ? `${iso}T00:00:00Z` : iso);

/**
 * Every deal the company takes part in (accepted), with its partners and step activity: three
 * queries whatever the number of deals. Partners are the other accepted participants.
 */
export async function loadHistory(db: Executor, scope: CompanyScope): Promise<HistoryDeal[]> {
  const deals = await db
    .selectFrom('opportunity_participants as me')
    .innerJoin('opportunities as o', 'o.id', 'me.opportunity_id')
    .select([
      'o.id',
      'o.status',
      'o.created_at',
      'o.close_date',
      'o.amount_minor',
      'o.currency',
      'o.customer_segment',
      'o.customer_industry',
      'o.customer_country',
      'o.customer_domain',
      'o.motion',
      'o.originator_id',
    ])
    .where('me.company_id', '=', scope.companyId)
    .where('me.status', '=', 'accepted')
    .execute();
  const partners = await db
    .selectFrom('opportunity_participants as me')
    .innerJoin('opportunity_participants as p', 'p.opportunity_id', 'me.opportunity_id')
    .select(['p.opportunity_id', 'p.company_id', 'p.role', 'p.first_deal'])
    .where('me.company_id', '=', scope.companyId)
    .where('me.status', '=', 'accepted')
    .where('p.company_id', '!=', scope.companyId)
    .where('p.status', '=', 'accepted')
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
  const byDeal = new Map<string, HistoryDeal['partners']>();
  for (const p of partners) {
    const list = byDeal.get(p.opportunity_id) ?? [];
    list.push({ id: p.company_id, role: p.role, firstDeal: p.first_deal === 1 });
    byDeal.set(p.opportunity_id, list);
  }
  const stepsOf = new Map(steps.map((s) => [s.opportunity_id, s]));
  return deals.map((d) => {
    const s = stepsOf.get(d.id);
    return {
      id: d.id,
      status: d.status,
      createdAt: time(d.created_at),
      closedAt: d.status !== 'open' && d.close_date ? time(d.close_date) : null,
      amount: d.amount_minor / 10 ** (currencyExponents[d.currency] ?? 2),
      currency: d.currency,
      segment: d.customer_segment,
      industry: d.customer_industry,
      country: d.customer_country,
      domain: d.customer_domain,
      motion: d.motion,
      mine: d.originator_id === scope.companyId,
      partners: byDeal.get(d.id) ?? [],
      lastStepDoneAt: s?.last_done ? time(s.last_done) : null,
      debriefDone: Number(s?.debrief ?? 0) === 1,
    };
  });
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

/** The company's active partners, with their type and what each shares of its accounts. */
export async function activePartners(db: Executor, scope: CompanyScope): Promise<ActivePartner[]> {
  const rows = await db
    .selectFrom('partnerships as p')
    .innerJoin('companies as c', (j) =>
      j.on((eb) =>
        eb.or([
          eb.and([
            eb('p.inviter_id', '=', scope.companyId),
            eb('c.id', '=', eb.ref('p.invitee_id')),
          ]),
          eb.and([
            eb('p.invitee_id', '=', scope.companyId),
            eb('c.id', '=', eb.ref('p.inviter_id')),
          ]),
        ]),
      ),
    )
    .leftJoin('overlap_rules as r', (j) =>
      j.onRef('r.owner_id', '=', 'c.id').on('r.partner_id', '=', scope.companyId),
    )
    .select(['c.id', 'c.slug', 'c.name', 'p.partner_type', 'p.tier', 'r.level'])
    .where('p.status', '=', 'active')
    .orderBy('c.slug')
    .execute();
  return rows.map((r) => ({
    id: r.id,
    slug: r.slug,
    name: r.name,
    type: r.partner_type,
    tier: r.tier,
    theyShare: r.level ?? 'none',
  }));
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
