import type { Kysely } from 'kysely';
import { bytes, isPostgres, serial } from './dialect.ts';

// The deal rooms' Yjs documents, stored as the updates that built them (compacted now and then
// into one). Authorship and time of each client edit live in the ledger; this is the document.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('deal_doc_updates')
    .addColumn('id', serial(db), (c) =>
      isPostgres(db) ? c.primaryKey() : c.primaryKey().autoIncrement(),
    )
    .addColumn('deal_id', 'text', (c) =>
      c.notNull().references('opportunities.id').onDelete('cascade'),
    )
    .addColumn('update', bytes(db), (c) => c.notNull())
    .addColumn('at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('deal_doc_updates_deal')
    .on('deal_doc_updates')
    .columns(['deal_id', 'id'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('deal_doc_updates').execute();
}
