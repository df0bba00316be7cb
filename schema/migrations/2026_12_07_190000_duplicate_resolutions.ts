import type { Kysely } from 'kysely';

// What a member made of a flagged pair (duplicate.merged | linked | dismissed in the ledger):
// `resolution` null while the pair is open, else merged, linked or dismissed; `kept_id` the deal a
// merge kept (the other was closed as its duplicate); `resolved_at` when.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('duplicate_flags').addColumn('resolution', 'text').execute();
  await db.schema.alterTable('duplicate_flags').addColumn('resolved_at', 'text').execute();
  await db.schema.alterTable('duplicate_flags').addColumn('kept_id', 'text').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('duplicate_flags').dropColumn('kept_id').execute();
  await db.schema.alterTable('duplicate_flags').dropColumn('resolved_at').execute();
  await db.schema.alterTable('duplicate_flags').dropColumn('resolution').execute();
}
