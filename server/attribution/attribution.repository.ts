import { sql, type Selectable } from 'kysely';
import type { AttributionPartiesTable, AttributionVersionsTable } from '../../schema/database.ts';
import type { Executor } from '../store/db.ts';

export type VersionRow = Selectable<AttributionVersionsTable>;
export type PartyRow = Selectable<AttributionPartiesTable>;

/** Every attribution version of a deal, newest first. Callers have checked access to the deal. */
export async function versionsOf(db: Executor, dealId: string): Promise<VersionRow[]> {
  return db
    .selectFrom('attribution_versions')
    .selectAll()
    .where('deal_id', '=', dealId)
    .orderBy('version', 'desc')
    .execute();
}

export async function partiesOf(db: Executor, versionIds: string[]): Promise<PartyRow[]> {
  if (versionIds.length === 0) return [];
  return db
    .selectFrom('attribution_parties')
    .selectAll()
    .where('version_id', 'in', versionIds)
    .orderBy('company_id')
    .execute();
}

/**
 * A page of the sealed records a company is party to, closed within [from, to], in a stable
 * order (close date, id) for keyset paging: the export reads these and holds one page at a time.
 */
export async function sealedPage(
  db: Executor,
  input: {
    companyId: string;
    from: string;
    to: string;
    after: { closeDate: string; id: string } | null;
    limit: number;
  },
): Promise<Pick<VersionRow, 'id' | 'close_date' | 'statement' | 'record'>[]> {
  // Driven by the (status, close_date, id) index, in its order, checking party rows by primary key:
  // no sort, so each page costs its own rows, not the whole period's.
  let query = db
    .selectFrom('attribution_versions as v')
    .select(['v.id', 'v.close_date', 'v.statement', 'v.record'])
    .where('v.status', '=', 'sealed')
    // One lower bound only: given two, SQLite may start the index range at the looser one.
    .where('v.close_date', '>=', input.after ? input.after.closeDate : input.from)
    .where('v.close_date', '<=', input.to)
    .where((eb) =>
      eb.exists(
        eb
          .selectFrom('attribution_parties as p')
          .select('p.version_id')
          .whereRef('p.version_id', '=', 'v.id')
          .where('p.company_id', '=', input.companyId),
      ),
    );
  if (input.after) {
    const { closeDate, id } = input.after;
    query = query.where(sql<boolean>`(v.close_date, v.id) > (${closeDate}, ${id})`);
  }
  return query.orderBy('v.close_date').orderBy('v.id').limit(input.limit).execute();
}
