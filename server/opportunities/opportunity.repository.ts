import { sql, type Selectable } from 'kysely';
import type { DuplicateFlagsTable, OpportunityParticipantsTable } from '../../schema/database.ts';
import type { Executor } from '../store/db.ts';
import { PreparedQuery } from '../store/sqlite/prepared-query.ts';
import type { CompanyScope } from '../tenants/principal.ts';
import type { OpportunityRow } from './opportunity.mapper.ts';

export type ParticipantRow = Selectable<OpportunityParticipantsTable>;
export type ParticipantWithCompany = ParticipantRow & { slug: string; name: string };
type DuplicateFlagRow = Selectable<DuplicateFlagsTable>;

/**
 * A deal and the caller's participation in it, only while the caller is invited or accepted.
 * A company that never took part, declined or was removed gets nothing: the caller answers 404.
 */
export async function findDealFor(
  db: Executor,
  scope: CompanyScope,
  dealId: string,
): Promise<{ deal: OpportunityRow; me: ParticipantRow } | undefined> {
  const me = await presentParticipant.executeTakeFirst(db, { dealId, companyId: scope.companyId });
  if (!me) return undefined;
  const deal = await dealById.executeTakeFirst(db, { dealId });
  if (!deal) throw new Error(`participant of a missing deal ${dealId}`);
  return { deal, me };
}

// Every deal read and write passes here first: prepared once (see PreparedQuery).
const presentParticipant = new PreparedQuery<{ dealId: string; companyId: string }, ParticipantRow>(
  (db, param) =>
    db
      .selectFrom('opportunity_participants')
      .selectAll()
      .where('opportunity_id', '=', param('dealId'))
      .where('company_id', '=', param('companyId'))
      .where('status', 'in', ['invited', 'accepted']),
);
const dealById = new PreparedQuery<{ dealId: string }, OpportunityRow>((db, param) =>
  db.selectFrom('opportunities').selectAll().where('id', '=', param('dealId')),
);

/** Where a company stands in a deal (invited, accepted, declined, removed), or undefined if never asked. */
export async function participationStatus(
  db: Executor,
  input: { dealId: string; companyId: string },
): Promise<ParticipantRow['status'] | undefined> {
  const row = await db
    .selectFrom('opportunity_participants')
    .select('status')
    .where('opportunity_id', '=', input.dealId)
    .where('company_id', '=', input.companyId)
    .executeTakeFirst();
  return row?.status;
}

// One deal's view (every single-deal read and write answers with one) reads these three: prepared.
const participantsOfOne = new PreparedQuery<{ dealId: string }, ParticipantWithCompany>(
  (db, param) =>
    db
      .selectFrom('opportunity_participants as p')
      .innerJoin('companies as c', 'c.id', 'p.company_id')
      .selectAll('p')
      .select(['c.slug', 'c.name'])
      .where('p.opportunity_id', '=', param('dealId'))
      .orderBy('p.invited_at'),
);
const refOfOne = new PreparedQuery<
  { companyId: string; dealId: string },
  { opportunity_id: string; external_ref: string }
>((db, param) =>
  db
    .selectFrom('opportunity_refs')
    .select(['opportunity_id', 'external_ref'])
    .where('company_id', '=', param('companyId'))
    .where('opportunity_id', '=', param('dealId')),
);
const flagsOfOne = new PreparedQuery<{ dealId: string }, DuplicateFlagRow>((db, param) =>
  db
    .selectFrom('duplicate_flags')
    .selectAll()
    .where((eb) =>
      eb.or([
        eb('opportunity_id', '=', param('dealId')),
        eb('other_opportunity_id', '=', param('dealId')),
      ]),
    )
    .orderBy('flagged_at')
    .orderBy('opportunity_id')
    .orderBy('other_opportunity_id'),
);

export async function participantsOf(
  db: Executor,
  dealIds: string[],
): Promise<ParticipantWithCompany[]> {
  if (dealIds.length === 0) return [];
  if (dealIds.length === 1) return participantsOfOne.execute(db, { dealId: dealIds[0]! });
  return db
    .selectFrom('opportunity_participants as p')
    .innerJoin('companies as c', 'c.id', 'p.company_id')
    .selectAll('p')
    .select(['c.slug', 'c.name'])
    .where('p.opportunity_id', 'in', dealIds)
    .orderBy('p.invited_at')
    .execute();
}

/** The caller's own CRM ids for these deals (never another company's). */
export async function refsOf(
  db: Executor,
  scope: CompanyScope,
  dealIds: string[],
): Promise<Map<string, string>> {
  if (dealIds.length === 0) return new Map();
  const rows =
    dealIds.length === 1
      ? await refOfOne.execute(db, { companyId: scope.companyId, dealId: dealIds[0]! })
      : await db
          .selectFrom('opportunity_refs')
          .select(['opportunity_id', 'external_ref'])
          .where('company_id', '=', scope.companyId)
          .where('opportunity_id', 'in', dealIds)
          .execute();
  return new Map(rows.map((r) => [r.opportunity_id, r.external_ref]));
}

export async function dealIdByRef(
  db: Executor,
  scope: CompanyScope,
  externalRef: string,
): Promise<string | undefined> {
  const row = await dealByRef.executeTakeFirst(db, { companyId: scope.companyId, externalRef });
  return row?.opportunity_id;
}

const dealByRef = new PreparedQuery<
  { companyId: string; externalRef: string },
  { opportunity_id: string }
>((db, param) =>
  db
    .selectFrom('opportunity_refs')
    .select('opportunity_id')
    .where('company_id', '=', param('companyId'))
    .where('external_ref', '=', param('externalRef')),
);

/** The caller's deals by their CRM ids, for many ids at once (a batch upsert). */
export async function dealIdsByRefs(
  db: Executor,
  scope: CompanyScope,
  externalRefs: string[],
): Promise<Map<string, string>> {
  const found = new Map<string, string>();
  for (let i = 0; i < externalRefs.length; i += 500) {
    const rows = await db
      .selectFrom('opportunity_refs')
      .select(['external_ref', 'opportunity_id'])
      .where('company_id', '=', scope.companyId)
      .where('external_ref', 'in', externalRefs.slice(i, i + 500))
      .execute();
    for (const row of rows) found.set(row.external_ref, row.opportunity_id);
  }
  return found;
}

/** A flagged pair as seen from one of its deals (`dealId`), with what became of it. */
export interface DuplicatePair {
  dealId: string;
  otherId: string;
  flaggedAt: string;
  resolution: 'merged' | 'linked' | 'dismissed' | null;
  keptId: string | null;
  resolvedAt: string | null;
}

/**
 * The flagged pairs of these deals, both ways, resolved or not. A twin is only ever flagged
 * between deals the pushing company takes part in, so the flag tells each side no more than that
 * its partner holds a twin of the deal they share.
 */
export async function duplicatePairsOf(
  db: Executor,
  dealIds: string[],
): Promise<Map<string, DuplicatePair[]>> {
  const map = new Map<string, DuplicatePair[]>();
  if (dealIds.length === 0) return map;
  const wanted = new Set(dealIds);
  const flags =
    dealIds.length === 1
      ? await flagsOfOne.execute(db, { dealId: dealIds[0]! })
      : await db
          .selectFrom('duplicate_flags')
          .selectAll()
          .where((eb) =>
            eb.or([eb('opportunity_id', 'in', dealIds), eb('other_opportunity_id', 'in', dealIds)]),
          )
          .orderBy('flagged_at')
          .orderBy('opportunity_id')
          .orderBy('other_opportunity_id')
          .execute();
  const add = (dealId: string, otherId: string, f: (typeof flags)[number]) => {
    if (!wanted.has(dealId)) return;
    const list = map.get(dealId) ?? [];
    if (list.some((p) => p.otherId === otherId)) return;
    list.push({
      dealId,
      otherId,
      flaggedAt: f.flagged_at,
      resolution: f.resolution,
      keptId: f.kept_id,
      resolvedAt: f.resolved_at,
    });
    map.set(dealId, list);
  };
  for (const f of flags) {
    add(f.opportunity_id, f.other_opportunity_id, f);
    add(f.other_opportunity_id, f.opportunity_id, f);
  }
  return map;
}

/**
 * The duplicates of these deals, both ways: the pairs still open and the ones merged (which was
 * registered first may still matter); not those linked as related or dismissed as different.
 */
export async function duplicatesOf(
  db: Executor,
  dealIds: string[],
): Promise<Map<string, string[]>> {
  const pairs = await duplicatePairsOf(db, dealIds);
  return new Map(
    [...pairs].map(([id, list]) => [
      id,
      list.filter((p) => p.resolution === null || p.resolution === 'merged').map((p) => p.otherId),
    ]),
  );
}

/** The flagged pair `a`–`b`, whichever way round it was flagged; undefined if never flagged. */
export async function findPair(
  db: Executor,
  a: string,
  b: string,
): Promise<DuplicatePair | undefined> {
  return (await duplicatePairsOf(db, [a])).get(a)?.find((p) => p.otherId === b);
}

/**
 * Other deals as the caller may name them, each with the caller's standing in it: only deals
 * the caller is invited to or has accepted are returned (the others are not looked up at all).
 */
export async function dealsSeenBy(
  db: Executor,
  scope: CompanyScope,
  dealIds: string[],
): Promise<(OpportunityRow & { owner_name: string; my_status: 'invited' | 'accepted' })[]> {
  if (dealIds.length === 0) return [];
  const rows = await db
    .selectFrom('opportunities as o')
    .innerJoin('opportunity_participants as me', 'me.opportunity_id', 'o.id')
    .innerJoin('companies as c', 'c.id', 'o.originator_id')
    .selectAll('o')
    .select(['c.name as owner_name', 'me.status as my_status'])
    .where('o.id', 'in', dealIds)
    .where('me.company_id', '=', scope.companyId)
    .where('me.status', 'in', ['invited', 'accepted'])
    .execute();
  return rows as (OpportunityRow & { owner_name: string; my_status: 'invited' | 'accepted' })[];
}

const twinsQuery = new PreparedQuery<
  { domain: string; title: string; excludeId: string; companyId: string },
  { id: string }
>((db, param) =>
  db
    .selectFrom('opportunities as o')
    .innerJoin('opportunity_participants as p', 'p.opportunity_id', 'o.id')
    .select('o.id')
    .where('o.customer_domain', '=', param('domain'))
    .where('o.status', '=', 'open')
    .where('o.id', '!=', param('excludeId'))
    .where((eb) => eb(eb.fn('lower', ['o.title']), '=', param('title')))
    .where('p.company_id', '=', param('companyId'))
    .where('p.status', 'in', ['invited', 'accepted']),
);

/** Open deals the company takes part in with this customer domain and title: possible twins. */
export async function findTwins(
  db: Executor,
  scope: CompanyScope,
  input: { domain: string; title: string; excludeId: string },
): Promise<string[]> {
  const rows = await twinsQuery.execute(db, {
    ...input,
    title: input.title.toLowerCase(),
    companyId: scope.companyId,
  });
  return rows.map((r) => r.id);
}

/**
 * `findTwins` for many new deals in one query: the open deals the company takes part in whose
 * domain and lower-cased title match one of `pairs`, keyed by twinKey(domain, title).
 */
export async function findTwinsOfMany(
  db: Executor,
  scope: CompanyScope,
  pairs: { domain: string; title: string }[],
): Promise<Map<string, string[]>> {
  const found = new Map<string, string[]>();
  const wanted = new Set(pairs.map((p) => twinKey(p.domain, p.title)));
  const domains = [...new Set(pairs.map((p) => p.domain))];
  for (let at = 0; at < domains.length; at += 500) {
    // Driven from the domain index: a join lets SQLite start from the company's participations
    // instead, every deal it has, on every batch.
    const rows = await db
      .selectFrom('opportunities as o')
      .select((eb) => [
        'o.id',
        'o.customer_domain as domain',
        eb.fn<string>('lower', ['o.title']).as('title'),
      ])
      .where('o.customer_domain', 'in', domains.slice(at, at + 500))
      .where('o.status', '=', 'open')
      .where(({ exists, selectFrom }) =>
        exists(
          selectFrom('opportunity_participants as p')
            .select('p.company_id')
            .whereRef('p.opportunity_id', '=', 'o.id')
            .where('p.company_id', '=', scope.companyId)
            .where('p.status', 'in', ['invited', 'accepted']),
        ),
      )
      .execute();
    for (const row of rows) {
      // The title as the database lowers it, against the caller's lowered in JS: as findTwins does.
      const key = `${row.domain!}\u0000${row.title}`;
      if (wanted.has(key)) found.set(key, [...(found.get(key) ?? []), row.id]);
    }
  }
  return found;
}

/** What makes two deals twins: the customer's domain and the title, case aside. */
export function twinKey(domain: string, title: string): string {
  return `${domain}\u0000${title.toLowerCase()}`;
}

/** When a deal began: its own date from the CRM, else when Tandem learned of it. */
const began = (o: 'o') =>
  sql<string>`coalesce(${sql.ref(`${o}.business_created_at`)}, ${sql.ref(`${o}.created_at`)})`;

/**
 * True when the two companies already share (or shared) another deal that began no later than
 * `began` (see `began` above): then the deal beginning then is not their first.
 */
export async function haveSharedBefore(
  db: Executor,
  input: { a: string; b: string; excludeId: string; began: string },
): Promise<boolean> {
  const row = await db
    .selectFrom('opportunity_participants as pa')
    .innerJoin('opportunity_participants as pb', 'pb.opportunity_id', 'pa.opportunity_id')
    .innerJoin('opportunities as o', 'o.id', 'pa.opportunity_id')
    .select('pa.opportunity_id')
    .where('pa.company_id', '=', input.a)
    .where('pb.company_id', '=', input.b)
    .where('pa.opportunity_id', '!=', input.excludeId)
    .where(began('o'), '<=', input.began)
    .limit(1)
    .executeTakeFirst();
  return row !== undefined;
}

/** The pair's other deals on which `b` is marked as in its first deal with `a`. */
export async function flaggedFirstDeals(
  db: Executor,
  input: { a: string; b: string; excludeId: string },
): Promise<string[]> {
  const rows = await db
    .selectFrom('opportunity_participants as pa')
    .innerJoin('opportunity_participants as pb', 'pb.opportunity_id', 'pa.opportunity_id')
    .select('pa.opportunity_id')
    .where('pa.company_id', '=', input.a)
    .where('pb.company_id', '=', input.b)
    .where('pb.first_deal', '=', 1)
    .where('pa.opportunity_id', '!=', input.excludeId)
    .execute();
  return rows.map((r) => r.opportunity_id);
}

export async function stepsOf(db: Executor, dealId: string) {
  return db
    .selectFrom('co_sell_steps')
    .selectAll()
    .where('opportunity_id', '=', dealId)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
}
