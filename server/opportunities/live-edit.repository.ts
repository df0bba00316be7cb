import type { Actor } from '../ledger/ledger-event.ts';
import type { Executor } from '../store/db.ts';
import type { OpportunityRow } from './opportunity.mapper.ts';

// What live edits and the notes settler read and write besides the projections. Unscoped: the
// callers have passed the deal gate already, or act for the deal's last typist.

/** A deal's row, whoever asks (undefined if there is no such deal). */
export function dealRow(db: Executor, dealId: string): Promise<OpportunityRow | undefined> {
  return db.selectFrom('opportunities').selectAll().where('id', '=', dealId).executeTakeFirst();
}

/** Whether any deal's plan already holds a step with this id (ids are global). */
export async function stepIdTaken(db: Executor, stepId: string): Promise<boolean> {
  const row = await db
    .selectFrom('co_sell_steps')
    .select('id')
    .where('id', '=', stepId)
    .executeTakeFirst();
  return row !== undefined;
}

/** Records that the deal's notes are ahead of its tables (kept if already recorded). */
export async function markNotesDue(db: Executor, dealId: string, since: string): Promise<void> {
  await db
    .insertInto('notes_due')
    .values({ deal_id: dealId, since })
    .onConflict((oc) => oc.column('deal_id').doNothing())
    .execute();
}

export async function clearNotesDue(db: Executor, dealId: string): Promise<void> {
  await db.deleteFrom('notes_due').where('deal_id', '=', dealId).execute();
}

/** The deals with notes due (only those due since before `before`, if given). */
export async function dealsWithNotesDue(db: Executor, before?: string): Promise<string[]> {
  let query = db.selectFrom('notes_due').select('deal_id');
  if (before !== undefined) query = query.where('since', '<', before);
  const rows = await query.execute();
  return rows.map((r) => r.deal_id);
}

/** Who made the deal's last live edit (undefined if no one has). */
export async function lastLiveEditor(db: Executor, dealId: string): Promise<Actor | undefined> {
  const row = await db
    .selectFrom('ledger_events')
    .select(['actor_company_id', 'actor_kind', 'actor_id'])
    .where('deal_id', '=', dealId)
    .where('type', '=', 'doc.updated')
    .orderBy('deal_seq', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row && { companyId: row.actor_company_id, kind: row.actor_kind, id: row.actor_id };
}
