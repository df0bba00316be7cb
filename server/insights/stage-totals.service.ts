import { sql } from 'kysely';
import type { z } from 'zod';
import { currencySchema } from '../../shared/money/currencies.ts';
import {
  conversionBases,
  conversionRule,
  emptyTally,
  tally,
  type ConversionTally,
  type ConvertibleDeal,
} from '../../shared/attribution/reporting-currency.ts';
import { stages, type Stage } from '../../shared/opportunities/stages.ts';
import type { Deps } from '../deps.ts';
import { parseInput } from '../core/parse-input.ts';
import { listDealsInput } from '../opportunities/deal-list.query.ts';
import type { Principal } from '../tenants/principal.ts';
import { rateBook, reportingCurrency, type CurrencySource } from './reporting-currency.ts';

/** The pipeline's filters (as `opportunities.list` takes them), and the reporting currency. */
export const stageTotalsInput = listDealsInput
  .pick({
    stage: true,
    status: true,
    partner: true,
    closeFrom: true,
    closeTo: true,
    amountMin: true,
    amountMax: true,
    q: true,
  })
  .extend({
    currency: currencySchema
      .optional()
      .describe('the reporting currency of the totals; default your most used one'),
  })
  .optional();

export interface StageTotal extends ConversionTally {
  stage: Stage;
  /** Every deal of the stage in its own currency: count and sum (minor units of that currency). */
  byCurrency: { currency: string; count: number; amountMinor: number }[];
}

export interface StageTotals {
  currency: string;
  currencySource: CurrencySource;
  rule: string;
  stages: StageTotal[];
  total: ConversionTally;
}

const time = (iso: string) => Date.parse(iso.length === 10 ? `${iso}T00:00:00Z` : iso);

/**
 * Counts and totals of the company's deals by stage, in one reporting currency (see
 * shared/attribution/reporting-currency.ts: closed deals at the rate frozen at their close, open ones at
 * the latest frozen rate, deals in a currency without one counted apart), with each stage's sums
 * per currency beside. Only deals the company accepted count: an invitation's amount is withheld.
 * Filters are the pipeline's. Deals in the reporting currency are summed by the database; only
 * the others are read one by one, to be converted.
 */
export async function stageTotals(
  deps: Deps<'db'>,
  actor: Principal,
  input: z.input<typeof stageTotalsInput>,
): Promise<StageTotals> {
  const f = parseInput(stageTotalsInput, input) ?? {};
  const { currency, source } = await reportingCurrency(deps, actor, f.currency);
  // The same filters as listDeals (deal-list.query.ts), over accepted deals only.
  let base = deps.db
    .selectFrom('opportunities as o')
    .innerJoin('opportunity_participants as me', (j) =>
      j.onRef('me.opportunity_id', '=', 'o.id').on('me.company_id', '=', actor.companyId),
    )
    .where('me.status', '=', 'accepted');
  if (f.stage) base = base.where('o.stage', 'in', f.stage);
  if (f.status) base = base.where('o.status', 'in', f.status);
  if (f.closeFrom) base = base.where('o.expected_close_date', '>=', f.closeFrom);
  if (f.closeTo) base = base.where('o.expected_close_date', '<=', f.closeTo);
  if (f.amountMin !== undefined) base = base.where('o.amount_minor', '>=', f.amountMin);
  if (f.amountMax !== undefined) base = base.where('o.amount_minor', '<=', f.amountMax);
  if (f.q) {
    const like = `%${f.q.toLowerCase().replace(/[%_\\]/g, (c) => `\\${c}`)}%`;
    base = base.where((eb) =>
      eb.or([
        sql<boolean>`lower(o.title) like ${like} escape '\\'`,
        sql<boolean>`lower(o.customer_name) like ${like} escape '\\'`,
      ]),
    );
  }
  if (f.partner) {
    const partner = f.partner;
    base = base.where((eb) =>
      eb.exists(
        eb
          .selectFrom('opportunity_participants as pp')
          .select('pp.opportunity_id')
          .whereRef('pp.opportunity_id', '=', 'o.id')
          .where('pp.company_id', '=', partner)
          .where('pp.status', 'in', ['invited', 'accepted']),
      ),
    );
  }
  const [sums, others] = [
    await base
      .select([
        'o.stage',
        'o.currency',
        (eb) => eb.fn.countAll<number | string>().as('n'),
        (eb) => eb.fn.sum<number | string>('o.amount_minor').as('total'),
      ])
      .groupBy(['o.stage', 'o.currency'])
      .execute(),
    await base
      .select([
        'o.id',
        'o.stage',
        'o.status',
        'o.currency',
        'o.amount_minor',
        'o.close_date',
        'o.business_closed_at',
      ])
      .where('o.currency', '!=', currency)
      .execute(),
  ];
  const book = await rateBook(deps, actor, currency);
  const converted = new Map<string, ConvertibleDeal[]>();
  for (const d of others) {
    const closed = d.status === 'open' ? null : (d.business_closed_at ?? d.close_date);
    const list = converted.get(d.stage) ?? [];
    list.push({
      id: d.id,
      currency: d.currency,
      amountMinor: d.amount_minor,
      closedAt: closed ? time(closed) : null,
    });
    converted.set(d.stage, list);
  }
  const total = emptyTally();
  const leftOut = new Map<string, { count: number; amountMinor: number }>();
  const out = stages.map((stage): StageTotal => {
    const rows = sums.filter((r) => r.stage === stage);
    const same = rows.find((r) => r.currency === currency);
    const t = tally(converted.get(stage) ?? [], book);
    const sameCount = Number(same?.n ?? 0);
    t.count += sameCount;
    t.byBasis.same += sameCount;
    t.totalMinor += Number(same?.total ?? 0);
    total.count += t.count;
    total.totalMinor += t.totalMinor;
    for (const b of conversionBases) total.byBasis[b] += t.byBasis[b];
    for (const l of t.leftOut) {
      const e = leftOut.get(l.currency) ?? { count: 0, amountMinor: 0 };
      e.count += l.count;
      e.amountMinor += l.amountMinor;
      leftOut.set(l.currency, e);
    }
    return {
      stage,
      ...t,
      byCurrency: rows
        .map((r) => ({ currency: r.currency, count: Number(r.n), amountMinor: Number(r.total) }))
        .sort((a, b) => (a.currency < b.currency ? -1 : 1)),
    };
  });
  total.leftOut = [...leftOut]
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([c, e]) => ({ currency: c, ...e }));
  return { currency, currencySource: source, rule: conversionRule(currency), stages: out, total };
}
