import type { Kysely } from 'kysely';

// Deals whose notes were typed in a room but not yet written to `opportunities.notes` (the tables
// take the notes' full text at most once a second per deal). Kept with the edit, in its
// transaction, so a crash cannot lose the obligation; the server settles what is left at start.
// No foreign key: a rebuild of the deal tables must not cascade to it.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('notes_due')
    .addColumn('deal_id', 'text', (c) => c.primaryKey())
    .addColumn('since', 'text', (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('notes_due').execute();
}
