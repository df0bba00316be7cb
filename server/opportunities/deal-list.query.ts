import { sql, type RawBuilder } from 'kysely';
import { z } from 'zod';
import { dealStatuses, stages } from '../../shared/opportunities/stages.ts';
import type { Deps } from '../deps.ts';
import { DomainError } from '../core/domain-error.ts';
import { parseInput } from '../core/parse-input.ts';
import type { Principal } from '../tenants/principal.ts';
import { dealViews, type DealView } from './deal.view.ts';

const sortColumns = {
  updatedAt: sql<string>`o.updated_at`,
  createdAt: sql<string>`o.created_at`,
  amount: sql<number>`o.amount_minor`,
  expectedCloseDate: sql<string>`coalesce(o.expected_close_date, '')`,
  title: sql<string>`o.title`,
} as const;

/** An array (tRPC) or a comma-separated string (a REST query parameter) of enum values. */
function listOf<const T extends readonly [string, ...string[]]>(values: T) {
  return z.preprocess(
    (value: string | T[number][]) =>
      typeof value === 'string' ? value.split(',').filter((v) => v !== '') : value,
    z.array(z.enum(values)).max(values.length),
  );
}

export const listDealsInput = z.strictObject({
  stage: listOf(stages)
    .describe('only these stages; an array, or comma-separated in a query string')
    .optional(),
  status: listOf(dealStatuses)
    .describe('only these statuses; an array, or comma-separated in a query string')
    .optional(),
  partner: z.string().min(1).describe('only deals this company (id) takes part in').optional(),
  closeFrom: z.iso.date().describe('expected close date, from (inclusive)').optional(),
  closeTo: z.iso.date().describe('expected close date, to (inclusive)').optional(),
  amountMin: z.number().int().nonnegative().optional(),
  amountMax: z.number().int().nonnegative().optional(),
  q: z.string().trim().min(1).max(200).describe('text in the title or customer name').optional(),
  sort: z.enum(Object.keys(sortColumns) as [keyof typeof sortColumns]).default('updatedAt'),
  order: z.enum(['asc', 'desc']).default('desc'),
  limit: z.number().int().min(1).max(200).default(50),
  cursor: z.string().max(500).describe('nextCursor of the previous page').optional(),
});

function decodeCursor(cursor: string): [string | number, string] {
  try {
    const value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown;
    if (
      Array.isArray(value) &&
      value.length === 2 &&
      typeof value[1] === 'string' &&
      ['string', 'number'].includes(typeof value[0])
    ) {
      return value as [string | number, string];
    }
  } catch {
    // fall through
  }
  throw new DomainError('ValidationFailed', 'the cursor is not one this server gave out', [
    { path: 'cursor', message: 'invalid cursor' },
  ]);
}

/**
 * The caller's deals, filtered, sorted and paged with a keyset cursor (stable while deals change).
 * Filters and sorts on fields an invited company may not see (amount, close date) only match deals
 * the caller has accepted, so they cannot be used to probe withheld values.
 */
export async function listDeals(
  deps: Deps<'db'>,
  actor: Principal,
  input: z.input<typeof listDealsInput>,
): Promise<{ items: DealView[]; nextCursor: string | null }> {
  const f = parseInput(listDealsInput, input);
  const sortExpr: RawBuilder<string | number> = sortColumns[f.sort];
  const usesWithheld =
    f.amountMin !== undefined ||
    f.amountMax !== undefined ||
    f.closeFrom ||
    f.closeTo ||
    f.sort === 'amount' ||
    f.sort === 'expectedCloseDate';
  let query = deps.db
    .selectFrom('opportunities as o')
    .innerJoin('opportunity_participants as me', (j) =>
      j.onRef('me.opportunity_id', '=', 'o.id').on('me.company_id', '=', actor.companyId),
    )
    .selectAll('o')
    .select(sortExpr.as('sort_value'))
    .where('me.status', 'in', usesWithheld ? ['accepted'] : ['invited', 'accepted']);
  if (f.stage) query = query.where('o.stage', 'in', f.stage);
  if (f.status) query = query.where('o.status', 'in', f.status);
  if (f.closeFrom) query = query.where('o.expected_close_date', '>=', f.closeFrom);
  if (f.closeTo) query = query.where('o.expected_close_date', '<=', f.closeTo);
  if (f.amountMin !== undefined) query = query.where('o.amount_minor', '>=', f.amountMin);
  if (f.amountMax !== undefined) query = query.where('o.amount_minor', '<=', f.amountMax);
  if (f.q) {
    // Case-insensitive on both stores (SQLite's like ignores ASCII case, PostgreSQL's does not).
    const like = `%${f.q.toLowerCase().replace(/[%_\\]/g, (c) => `\\${c}`)}%`;
    query = query.where((eb) =>
      eb.or([
        sql<boolean>`lower(o.title) like ${like} escape '\\'`,
        sql<boolean>`lower(o.customer_name) like ${like} escape '\\'`,
      ]),
    );
  }
  if (f.partner) {
    query = query.where((eb) =>
      eb.exists(
        eb
          .selectFrom('opportunity_participants as pp')
          .select('pp.opportunity_id')
          .whereRef('pp.opportunity_id', '=', 'o.id')
          .where('pp.company_id', '=', f.partner!)
          .where('pp.status', 'in', ['invited', 'accepted']),
      ),
    );
  }
  if (f.cursor) {
    const [value, id] = decodeCursor(f.cursor);
    const cmp = f.order === 'desc' ? sql.raw('<') : sql.raw('>');
    query = query.where(
      sql<boolean>`(${sortExpr} ${cmp} ${value} or (${sortExpr} = ${value} and o.id ${cmp} ${id}))`,
    );
  }
  const rows = await query
    .orderBy(sortExpr, f.order)
    .orderBy('o.id', f.order)
    .limit(f.limit + 1)
    .execute();
  const page = rows.slice(0, f.limit);
  const last = page[page.length - 1];
  const nextCursor =
    rows.length > f.limit && last
      ? Buffer.from(JSON.stringify([last.sort_value, last.id])).toString('base64url')
      : null;
  return { items: await dealViews(deps.db, actor, page), nextCursor };
}
