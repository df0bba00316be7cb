import type { Kysely } from 'kysely';

// A deal's own dates from the company's CRM, beside the ledger's: `created_at` stays when Tandem
// learned of the deal. Null when no history was pushed (the insights then use the ledger's dates).
// `stage_history` is a JSON array of { stage, at }, oldest first.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('opportunities').addColumn('business_created_at', 'text').execute();
  await db.schema.alterTable('opportunities').addColumn('business_closed_at', 'text').execute();
  await db.schema.alterTable('opportunities').addColumn('stage_history', 'text').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('opportunities').dropColumn('stage_history').execute();
  await db.schema.alterTable('opportunities').dropColumn('business_closed_at').execute();
  await db.schema.alterTable('opportunities').dropColumn('business_created_at').execute();
}
