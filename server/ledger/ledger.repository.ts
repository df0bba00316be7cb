import type { Insertable, Selectable } from 'kysely';
import type { LedgerEventsTable } from '../../schema/database.ts';
import type { Executor } from '../core/db.ts';

export type LedgerEventRow = Selectable<LedgerEventsTable>;

/** The newest event of the whole log, and of one deal: the two links a new event chains to. */
/** The last event of the whole log. */
export function logHead(db: Executor) {
  return db
    .selectFrom('ledger_events')
    .select(['seq', 'hash'])
    .orderBy('seq', 'desc')
    .limit(1)
    .executeTakeFirst();
}

/** The last event of one deal's chain. */
export function dealHead(db: Executor, dealId: string) {
  return db
    .selectFrom('ledger_events')
    .select(['deal_seq', 'hash'])
    .where('deal_id', '=', dealId)
    .orderBy('deal_seq', 'desc')
    .limit(1)
    .executeTakeFirst();
}

export async function insertEvent(db: Executor, row: Insertable<LedgerEventsTable>): Promise<void> {
  await db.insertInto('ledger_events').values(row).execute();
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
