import type { Insertable, Selectable } from 'kysely';
import type { LedgerEventsTable } from '../../schema/database.ts';
import { insertRow, type Executor, type Sql } from '../core/db.ts';

export type LedgerEventRow = Selectable<LedgerEventsTable>;

/** The last event of the whole log. */
export function logHead(sql: Sql): { seq: number; hash: string } | undefined {
  return sql.get('select "seq", "hash" from "ledger_events" order by "seq" desc limit 1');
}

/** The last event of one deal's chain. */
export function dealHead(sql: Sql, dealId: string): { deal_seq: number; hash: string } | undefined {
  return sql.get(
    'select "deal_seq", "hash" from "ledger_events" where "deal_id" = ? order by "deal_seq" desc limit 1',
    [dealId],
  );
}

export function insertEvent(sql: Sql, row: Insertable<LedgerEventsTable>): void {
  insertRow(sql, 'ledger_events', row);
}

/** Events in log order from `afterSeq`, in pages: for verification and projection rebuilds. */
export async function eventsAfter(
  db: Executor,
  afterSeq: number,
  limit: number,
): Promise<LedgerEventRow[]> {
  return db
    .selectFrom('ledger_events')
    .selectAll()
    .where('seq', '>', afterSeq)
    .orderBy('seq')
    .limit(limit)
    .execute();
}

/** One deal's events, oldest first, that a company may read (not another company's private ones). */
export async function dealEvents(
  db: Executor,
  input: { dealId: string; companyId: string },
): Promise<LedgerEventRow[]> {
  return db
    .selectFrom('ledger_events')
    .selectAll()
    .where('deal_id', '=', input.dealId)
    .where((eb) => eb.or([eb('private_to', 'is', null), eb('private_to', '=', input.companyId)]))
    .orderBy('deal_seq')
    .execute();
}
