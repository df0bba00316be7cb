import type { Executor } from '../store/db.ts';
import { preparedInsert, PreparedQuery } from '../store/sqlite/prepared-query.ts';
import type { LedgerEvent } from '../ledger/ledger-event.ts';
import { registerProjector } from '../ledger/projections.ts';
import type { DealChangeEvent } from './deal-events.ts';
import { datesToColumns, fieldsToColumns, newRow } from './opportunity.mapper.ts';

/**
 * Applies one of a deal's own ledger events to the tables the API reads. It is the only code that
 * writes those tables, reached through the ledger's projections both live (in the transaction that
 * appends the event) and to rebuild them from the ledger, so a rebuild gives exactly the live
 * state. What every upsert does (a new deal, its ref, the version) runs as prepared queries.
 */
async function applyDealEvent(db: Executor, stored: LedgerEvent): Promise<void> {
  const dealId = stored.dealId!;
  const event = { type: stored.type, data: stored.data } as DealChangeEvent;
  const at = stored.at;
  switch (event.type) {
    case 'opportunity.created':
      await insertDeal.execute(
        db,
        newRow({
          id: dealId,
          originatorId: event.data.originatorId,
          fields: event.data.fields,
          at,
        }),
      );
      await insertParticipant.execute(db, {
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
        .set({
          ...fieldsToColumns(event.data.changes),
          // A new close date or a reopen outdates the CRM's close time; a push that brings a
          // new one records it as its own event right after.
          ...(event.data.changes.closeDate !== undefined || event.data.changes.stage !== undefined
            ? { business_closed_at: null }
            : {}),
        })
        .where('id', '=', dealId)
        .execute();
      break;
    case 'opportunity.dated':
      await db
        .updateTable('opportunities')
        .set(datesToColumns(event.data.dates))
        .where('id', '=', dealId)
        .execute();
      break;
    case 'opportunity.ref_set':
      // One ref per company and deal: a new one replaces the old.
      await setRef.execute(db, {
        company_id: stored.privateTo!,
        external_ref: event.data.externalRef,
        opportunity_id: dealId,
      });
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
    case 'participant.first_deal_unset':
      await participant(db, dealId, event.data.companyId).set({ first_deal: 0 }).execute();
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
    case 'duplicate.merged': {
      const { keptId, duplicateId } = event.data;
      await resolvePair(db, keptId, duplicateId, { resolution: 'merged', kept_id: keptId, at });
      break;
    }
    case 'duplicate.linked':
      await resolvePair(db, dealId, event.data.otherId, {
        resolution: 'linked',
        kept_id: null,
        at,
      });
      break;
    case 'duplicate.dismissed':
      await resolvePair(db, dealId, event.data.otherId, {
        resolution: 'dismissed',
        kept_id: null,
        at,
      });
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
  await versionBump.execute(db, { at, dealId });
  if (stored.actor.kind !== 'system')
    await confirmedNow.execute(db, { at, dealId, companyId: stored.actor.companyId });
}

/** Every type the deal tables follow; naming one too few fails to compile. */
const claimed: Record<DealChangeEvent['type'], true> = {
  'opportunity.created': true,
  'opportunity.updated': true,
  'opportunity.ref_set': true,
  'opportunity.dated': true,
  'participant.invited': true,
  'participant.accepted': true,
  'participant.declined': true,
  'participant.removed': true,
  'participant.sponsor_set': true,
  'participant.first_deal_unset': true,
  'duplicate.flagged': true,
  'duplicate.merged': true,
  'duplicate.linked': true,
  'duplicate.dismissed': true,
  'step.added': true,
  'step.updated': true,
  'doc.updated': true,
};

/** Hands the ledger this projection for the deal's own events; the composition root calls it. */
export function registerDealProjection(): void {
  for (const type of Object.keys(claimed)) registerProjector(type, applyDealEvent);
}

const insertDeal = preparedInsert('opportunities', [
  'id',
  'originator_id',
  'title',
  'customer_name',
  'customer_domain',
  'customer_country',
  'customer_segment',
  'customer_industry',
  'amount_minor',
  'currency',
  'stage',
  'status',
  'expected_close_date',
  'close_date',
  'lost_reason',
  'products',
  'motion',
  'next_step',
  'help_requested',
  'contacts',
  'notes',
  'version',
  'created_at',
  'updated_at',
  'business_created_at',
  'business_closed_at',
  'stage_history',
]);

const insertParticipant = preparedInsert('opportunity_participants', [
  'opportunity_id',
  'company_id',
  'role',
  'status',
  'invited_at',
  'responded_at',
  'decline_reason',
  'decline_note',
  'first_deal',
  'executive_sponsor',
  'last_confirmed_at',
]);

/** One ref per company and deal: a new one replaces the old. */
const setRef = preparedInsert(
  'opportunity_refs',
  ['company_id', 'external_ref', 'opportunity_id'],
  (qb) =>
    qb.onConflict((oc) =>
      oc
        .columns(['company_id', 'opportunity_id'])
        .doUpdateSet((eb) => ({ external_ref: eb.ref('excluded.external_ref') })),
    ),
);

const versionBump = new PreparedQuery<{ at: string; dealId: string }, unknown>((db, param) =>
  db
    .updateTable('opportunities')
    .set((eb) => ({ version: eb('version', '+', 1), updated_at: param('at') }))
    .where('id', '=', param('dealId')),
);

const confirmedNow = new PreparedQuery<{ at: string; dealId: string; companyId: string }, unknown>(
  (db, param) =>
    participant(db, param('dealId'), param('companyId'))
      .set({ last_confirmed_at: param('at') })
      .where('status', '=', 'accepted'),
);

/**
 * Records what became of the flagged pair `a`–`b`, whichever way round it was flagged. The event
 * is recorded on both deals, so this runs twice with the same values: the second changes nothing.
 */
async function resolvePair(
  db: Executor,
  a: string,
  b: string,
  to: { resolution: 'merged' | 'linked' | 'dismissed'; kept_id: string | null; at: string },
): Promise<void> {
  await db
    .updateTable('duplicate_flags')
    .set({ resolution: to.resolution, kept_id: to.kept_id, resolved_at: to.at })
    .where((eb) =>
      eb.or([
        eb.and([eb('opportunity_id', '=', a), eb('other_opportunity_id', '=', b)]),
        eb.and([eb('opportunity_id', '=', b), eb('other_opportunity_id', '=', a)]),
      ]),
    )
    .execute();
}

function participant(db: Executor, dealId: string, companyId: string) {
  return db
    .updateTable('opportunity_participants')
    .where('opportunity_id', '=', dealId)
    .where('company_id', '=', companyId);
}
