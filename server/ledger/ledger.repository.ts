import type { Insertable, Selectable } from 'kysely';
import type { LedgerEventsTable } from '../../schema/database.ts';
import type { Executor } from '../store/db.ts';
import { preparedInsert, PreparedQuery } from '../store/sqlite/prepared-query.ts';

export type LedgerEventRow = Selectable<LedgerEventsTable>;

const logHeadQuery = new PreparedQuery<Record<string, never>, { seq: number; hash: string }>((db) =>
  db.selectFrom('ledger_events').select(['seq', 'hash']).orderBy('seq', 'desc').limit(1),
);

/** The last event of the whole log. */
export function logHead(db: Executor) {
  return logHeadQuery.executeTakeFirst(db, {});
}

const dealHeadQuery = new PreparedQuery<
  { dealId: string },
  { deal_seq: number | null; hash: string }
>((db, param) =>
  db
    .selectFrom('ledger_events')
    .select(['deal_seq', 'hash'])
    .where('deal_id', '=', param('dealId'))
    .orderBy('deal_seq', 'desc')
    .limit(1),
);

/** The last event of one deal's chain. */
export function dealHead(db: Executor, dealId: string) {
  return dealHeadQuery.executeTakeFirst(db, { dealId });
}

const insertEventQuery = preparedInsert('ledger_events', [
  'seq',
  'deal_id',
  'deal_seq',
  'type',
  'actor_company_id',
  'actor_kind',
  'actor_id',
  'actor_via',
  'actor_tool',
  'private_to',
  'at',
  'data',
  'prev_hash',
  'deal_prev_hash',
  'hash',
]);

export async function insertEvent(db: Executor, row: Insertable<LedgerEventsTable>): Promise<void> {
  await insertEventQuery.execute(db, row);
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
