import { sql, type Selectable } from 'kysely';
import type { AttributionPartiesTable, AttributionVersionsTable } from '../../schema/database.ts';
import type { Executor } from '../core/db.ts';

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
  let query = db
    .selectFrom('attribution_parties as p')
    .innerJoin('attribution_versions as v', 'v.id', 'p.version_id')
    .select(['v.id', 'v.close_date', 'v.statement', 'v.record'])
    .where('p.company_id', '=', input.companyId)
    .where('v.status', '=', 'sealed')
    .where('v.close_date', '>=', input.from)
    .where('v.close_date', '<=', input.to);
  if (input.after) {
    const { closeDate, id } = input.after;
    // The plain bound lets the index range start at the last page's date instead of the period's.
    query = query
      .where('v.close_date', '>=', closeDate)
      .where(sql<boolean>`(v.close_date, v.id) > (${closeDate}, ${id})`);
  }
  return query.orderBy('v.close_date').orderBy('v.id').limit(input.limit).execute();
}
