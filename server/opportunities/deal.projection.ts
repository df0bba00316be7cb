import { applyAttributionEvent } from '../attribution/attribution.projection.ts';
import { insertRow, type Executor, type Sql } from '../core/db.ts';
import type { LedgerEvent } from '../ledger/ledger-event.ts';
import type { DealChangeEvent } from './deal-events.ts';
import { fieldsToColumns, newRow } from './opportunity.mapper.ts';

/**
 * Applies one ledger event to the tables the API reads. It is the only code that writes those
 * tables, used both live (in the transaction that appends the event) and to rebuild them from the
 * ledger, so a rebuild gives exactly the live state. What every upsert does (a new deal, its ref,
 * the version) runs as direct statements (`sql`); the rest through Kysely (`db`), in the same
 * transaction on the same connection.
 */
export async function applyDealEvent(
  { db, sql }: { db: Executor; sql: Sql },
  stored: LedgerEvent,
): Promise<void> {
  if (stored.type.startsWith('attribution.')) return applyAttributionEvent(db, stored);
  const dealId = stored.dealId!;
  const event = { type: stored.type, data: stored.data } as DealChangeEvent;
  const at = stored.at;
  switch (event.type) {
    case 'opportunity.created':
      insertRow(
        sql,
        'opportunities',
        newRow({ id: dealId, originatorId: event.data.originatorId, fields: event.data.fields, at }),
      );
      insertRow(sql, 'opportunity_participants', {
        opportunity_id: dealId,
        company_id: event.data.originatorId,
        role: 'originator',
        status: 'accepted',
        invited_at: at,
        responded_at: at,
        decline_reason: null,
        decline_note: null,
        first_deal: 0,
        executive_sponsor: null,
        last_confirmed_at: at,
      });
      return;
    case 'opportunity.updated':
      await db
        .updateTable('opportunities')
        .set(fieldsToColumns(event.data.changes))
        .where('id', '=', dealId)
        .execute();
      break;
    case 'opportunity.ref_set':
      // One ref per company and deal: a new one replaces the old.
      insertRow(
        sql,
        'opportunity_refs',
        {
          company_id: stored.privateTo!,
          external_ref: event.data.externalRef,
          opportunity_id: dealId,
        },
        'on conflict ("company_id", "opportunity_id") do update set "external_ref" = excluded."external_ref"',
      );
      // Private: neither the shared version nor the partner-visible freshness moves.
      return;
    case 'participant.invited':
      await db
        .insertInto('opportunity_participants')
        .values({
          opportunity_id: dealId,
          company_id: event.data.companyId,
          role: event.data.role,
          status: 'invited',
          invited_at: at,
          responded_at: null,
          decline_reason: null,
          decline_note: null,
          first_deal: event.data.firstDeal ? 1 : 0,
          executive_sponsor: null,
          last_confirmed_at: null,
        })
        .onConflict((oc) =>
          oc.columns(['opportunity_id', 'company_id']).doUpdateSet({
            role: event.data.role,
            status: 'invited',
            invited_at: at,
            responded_at: null,
            decline_reason: null,
            decline_note: null,
          }),
        )
        .execute();
      break;
    case 'doc.updated':
      // The document itself is stored by the sync layer; the fields and steps it changed arrive
      // as their own events. Here it only moves the version, below.
      break;
    case 'participant.accepted':
      await participant(db, dealId, event.data.companyId)
        .set({ status: 'accepted', responded_at: at })
        .execute();
      break;
    case 'participant.declined':
      await participant(db, dealId, event.data.companyId)
        .set({
          status: 'declined',
          responded_at: at,
          decline_reason: event.data.reason,
          decline_note: event.data.note,
        })
        .execute();
      break;
    case 'participant.removed':
      await participant(db, dealId, event.data.companyId)
        .set({ status: 'removed', responded_at: at })
        .execute();
      break;
    case 'participant.sponsor_set':
      await participant(db, dealId, event.data.companyId)
        .set({ executive_sponsor: event.data.sponsor })
        .execute();
      break;
    case 'duplicate.flagged':
      for (const other of event.data.otherIds) {
        await db
          .insertInto('duplicate_flags')
          .values({ opportunity_id: dealId, other_opportunity_id: other, flagged_at: at })
          .onConflict((oc) => oc.doNothing())
          .execute();
      }
      break;
    case 'step.added': {
      const s = event.data.step;
      await db
        .insertInto('co_sell_steps')
        .values({
          id: s.id,
          opportunity_id: dealId,
          play: s.play,
          title: s.title,
          owner_company_id: s.ownerCompanyId,
          owner_person: s.ownerPerson,
          due_date: s.dueDate,
          status: s.status,
          outcome: s.outcome,
          created_at: at,
          updated_at: at,
        })
        .execute();
      break;
    }
    case 'step.updated': {
      const c = event.data.changes;
      await db
        .updateTable('co_sell_steps')
        .set({
          ...(c.play !== undefined ? { play: c.play } : {}),
          ...(c.title !== undefined ? { title: c.title } : {}),
          ...(c.ownerCompanyId !== undefined ? { owner_company_id: c.ownerCompanyId } : {}),
          ...(c.ownerPerson !== undefined ? { owner_person: c.ownerPerson } : {}),
          ...(c.dueDate !== undefined ? { due_date: c.dueDate } : {}),
          ...(c.status !== undefined ? { status: c.status } : {}),
          ...(c.outcome !== undefined ? { outcome: c.outcome } : {}),
          updated_at: at,
        })
        .where('id', '=', event.data.stepId)
        .where('opportunity_id', '=', dealId)
        .execute();
      break;
    }
  }
  // Every shared change moves the deal's version (its ETag) and records that the acting company
  // has confirmed the deal now.
  sql.run('update "opportunities" set "version" = "version" + 1, "updated_at" = ? where "id" = ?', [
    at,
    dealId,
  ]);
  if (stored.actor.kind !== 'system') {
    sql.run(
      `update "opportunity_participants" set "last_confirmed_at" = ?
       where "opportunity_id" = ? and "company_id" = ? and "status" = 'accepted'`,
      [at, dealId, stored.actor.companyId],
    );
  }
}

function participant(db: Executor, dealId: string, companyId: string) {
  return db
    .updateTable('opportunity_participants')
    .where('opportunity_id', '=', dealId)
    .where('company_id', '=', companyId);
}
