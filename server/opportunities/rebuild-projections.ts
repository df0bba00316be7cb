import { sql } from 'kysely';
import type { Db } from '../store/db.ts';
import { withDirect } from '../store/sqlite/direct-runner.ts';
import { rowToEvent } from '../ledger/ledger-event.ts';
import { eventsAfter } from '../ledger/ledger.repository.ts';
import { project } from '../ledger/projections.ts';

const projectionTables = [
  'duplicate_flags',
  'co_sell_steps',
  'opportunity_refs',
  'opportunity_participants',
  'opportunities',
] as const;

/**
 * Drops the deal tables and replays the whole ledger into them through the same projections the
 * live writes use (registered by the composition root, `openDeps`, as for a live write). One transaction: readers see the old tables or the new, never half. The deal
 * rooms' documents are not projections: they are kept aside while the deals they hang off (and
 * cascade from) are deleted, and put back once the replay has made the deals again.
 */
export async function rebuildDealProjections(db: Db): Promise<{ events: number }> {
  return db.transaction().execute((trx) =>
    withDirect(trx, db, async () => {
      await sql`create temp table kept_doc_updates as select * from deal_doc_updates`.execute(trx);
      for (const table of projectionTables) await trx.deleteFrom(table).execute();
      let after = 0;
      let count = 0;
      for (;;) {
        const page = await eventsAfter(trx, after, 1000);
        if (page.length === 0) break;
        for (const row of page) {
          if (row.deal_id) await project(trx, rowToEvent(row));
          after = row.seq;
          count++;
        }
      }
      await sql`insert into deal_doc_updates select * from kept_doc_updates`.execute(trx);
      await sql`drop table kept_doc_updates`.execute(trx);
      return { events: count };
    }),
  );
}
