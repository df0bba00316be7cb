import { sql, type Kysely } from 'kysely';

// Partnership invitations answer alike whether or not the named company exists, so that no
// tenant can list the others by inviting slugs. An invitation to a name no company holds is kept
// here and shown to its sender exactly as a real one is, until withdrawn. `invited_as` keeps the
// name the inviter typed: a sent invitation shows that, not the company's identity, until accepted.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('unmatched_invitations')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('inviter_id', 'text', (c) =>
      c.notNull().references('companies.id').onDelete('cascade'),
    )
    .addColumn('invited_as', 'text', (c) => c.notNull())
    .addColumn('partner_type', 'text', (c) => c.notNull())
    .addColumn('tier', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('invited','ended')`))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('ended_at', 'text')
    .execute();
  await db.schema
    .createIndex('unmatched_invitations_inviter')
    .on('unmatched_invitations')
    .columns(['inviter_id', 'invited_as'])
    .execute();
  await db.schema.alterTable('partnerships').addColumn('invited_as', 'text').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('partnerships').dropColumn('invited_as').execute();
  await db.schema.dropTable('unmatched_invitations').execute();
}
