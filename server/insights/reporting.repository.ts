import type { AttributionStatement } from '../../shared/attribution/statement.ts';
import type { Executor } from '../store/db.ts';
import type { CompanyScope } from '../tenants/principal.ts';

/** A deal's standing attribution statement: the sealed one, or the one awaiting signatures. */
export interface StatementFact {
  dealId: string;
  status: 'sealed' | 'proposed';
  statement: AttributionStatement;
}

/**
 * The sealed and proposed attribution statements of every deal the company takes part in
 * (accepted): what a participant may read of them anyway (attribution.get). One query.
 * `onlyOtherThan` keeps the deals in other currencies only (the ones that need a rate).
 */
export async function standingStatements(
  db: Executor,
  scope: CompanyScope,
  options: { onlyOtherThan?: string } = {},
): Promise<StatementFact[]> {
  let query = db
    .selectFrom('attribution_versions as v')
    .innerJoin('opportunity_participants as me', (j) =>
      j
        .onRef('me.opportunity_id', '=', 'v.deal_id')
        .on('me.company_id', '=', scope.companyId)
        .on('me.status', '=', 'accepted'),
    )
    .select(['v.deal_id', 'v.status', 'v.statement'])
    .where('v.status', 'in', ['sealed', 'proposed']);
  if (options.onlyOtherThan !== undefined)
    query = query
      .innerJoin('opportunities as o', 'o.id', 'v.deal_id')
      .where('o.currency', '!=', options.onlyOtherThan);
  const rows = await query.execute();
  return rows.map((r) => ({
    dealId: r.deal_id,
    status: r.status as 'sealed' | 'proposed',
    statement: JSON.parse(r.statement) as AttributionStatement,
  }));
}

/** How many of the company's deals (accepted, any status) are in each currency. */
export async function currencyCounts(
  db: Executor,
  scope: CompanyScope,
): Promise<Map<string, number>> {
  const rows = await db
    .selectFrom('opportunity_participants as me')
    .innerJoin('opportunities as o', 'o.id', 'me.opportunity_id')
    .select(['o.currency', (eb) => eb.fn.countAll<number | string>().as('n')])
    .where('me.company_id', '=', scope.companyId)
    .where('me.status', '=', 'accepted')
    .groupBy('o.currency')
    .execute();
  return new Map(rows.map((r) => [r.currency, Number(r.n)]));
}
