import { canonicalJson } from '../../shared/ledger/canonical-json.ts';
import type { Executor } from '../store/db.ts';
import type { LedgerEvent } from '../ledger/ledger-event.ts';
import { registerProjector } from '../ledger/projections.ts';
import type { AttributionEvent } from '../ledger/attribution-events.ts';

/** Hands the ledger this projection for every `attribution.*` event; the composition root calls it. */
export function registerAttributionProjection(): void {
  registerProjector('attribution.', applyAttributionEvent);
}

/** Applies an attribution event to its tables; rebuilt with the deal tables, from the same ledger. */
export async function applyAttributionEvent(db: Executor, stored: LedgerEvent): Promise<void> {
  const dealId = stored.dealId!;
  const event = { type: stored.type, data: stored.data } as AttributionEvent;
  switch (event.type) {
    case 'attribution.proposed': {
      const { versionId, version, statement, statementHash, parties } = event.data;
      // A new proposal replaces any still unsigned; a sealed version stands until a newer one seals.
      await db
        .updateTable('attribution_versions')
        .set({ status: 'superseded' })
        .where('deal_id', '=', dealId)
        .where('status', '=', 'proposed')
        .execute();
      await db
        .insertInto('attribution_versions')
        .values({
          id: versionId,
          deal_id: dealId,
          version,
          status: 'proposed',
          close_date: statement.closeDate,
          statement: canonicalJson(statement),
          statement_hash: statementHash,
          proposed_by: stored.actor.companyId,
          proposed_at: stored.at,
          sealed_at: null,
          record: null,
        })
        .execute();
      for (const companyId of parties) {
        await db
          .insertInto('attribution_parties')
          .values({
            version_id: versionId,
            company_id: companyId,
            protected: null,
            signature: null,
            signed_at: null,
            dispute_reason: null,
            disputed_at: null,
          })
          .execute();
      }
      return;
    }
    case 'attribution.signed':
      await party(db, event.data)
        .set({
          protected: event.data.protected,
          signature: event.data.signature,
          signed_at: stored.at,
          dispute_reason: null,
          disputed_at: null,
        })
        .execute();
      return;
    case 'attribution.disputed':
      await party(db, event.data)
        .set({ dispute_reason: event.data.reason, disputed_at: stored.at })
        .execute();
      return;
    case 'attribution.sealed':
      await db
        .updateTable('attribution_versions')
        .set({ status: 'superseded' })
        .where('deal_id', '=', dealId)
        .where('status', '=', 'sealed')
        .execute();
      await db
        .updateTable('attribution_versions')
        .set({ status: 'sealed', sealed_at: stored.at, record: JSON.stringify(event.data.record) })
        .where('id', '=', event.data.versionId)
        .execute();
      return;
  }
}

function party(db: Executor, key: { versionId: string; companyId: string }) {
  return db
    .updateTable('attribution_parties')
    .where('version_id', '=', key.versionId)
    .where('company_id', '=', key.companyId);
}
