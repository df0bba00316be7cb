import { sql, type Kysely } from 'kysely';
import { int } from './dialect.ts';

// Projections: every row here is derived from ledger events and can be rebuilt from them.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('opportunities')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('originator_id', 'text', (c) => c.notNull().references('companies.id'))
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('customer_name', 'text', (c) => c.notNull())
    .addColumn('customer_domain', 'text')
    .addColumn('customer_country', 'text')
    .addColumn('customer_segment', 'text')
    .addColumn('customer_industry', 'text')
    .addColumn('amount_minor', int(db), (c) => c.notNull())
    .addColumn('currency', 'text', (c) => c.notNull())
    .addColumn('stage', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('open','won','lost')`))
    .addColumn('expected_close_date', 'text')
    .addColumn('close_date', 'text')
    .addColumn('lost_reason', 'text')
    .addColumn('products', 'text', (c) => c.notNull())
    .addColumn('motion', 'text', (c) => c.notNull())
    .addColumn('next_step', 'text')
    .addColumn('help_requested', 'text', (c) => c.notNull())
    .addColumn('contacts', 'text', (c) => c.notNull())
    .addColumn('notes', 'text', (c) => c.notNull())
    .addColumn('version', int(db), (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('opportunities_domain')
    .on('opportunities')
    .columns(['customer_domain', 'status'])
    .execute();
  await db.schema
    .createIndex('opportunities_updated')
    .on('opportunities')
    .columns(['updated_at', 'id'])
    .execute();

  await db.schema
    .createTable('opportunity_participants')
    .addColumn('opportunity_id', 'text', (c) =>
      c.notNull().references('opportunities.id').onDelete('cascade'),
    )
    .addColumn('company_id', 'text', (c) => c.notNull().references('companies.id'))
    .addColumn('role', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) =>
      c.notNull().check(sql`status in ('invited','accepted','declined','removed')`),
    )
    .addColumn('invited_at', 'text', (c) => c.notNull())
    .addColumn('responded_at', 'text')
    .addColumn('decline_reason', 'text')
    .addColumn('decline_note', 'text')
    .addColumn('first_deal', int(db), (c) => c.notNull())
    .addColumn('executive_sponsor', 'text')
    .addColumn('last_confirmed_at', 'text')
    .addPrimaryKeyConstraint('opportunity_participants_pk', ['opportunity_id', 'company_id'])
    .execute();
  await db.schema
    .createIndex('participants_company')
    .on('opportunity_participants')
    .columns(['company_id', 'status'])
    .execute();

  // A company's own CRM id for a deal: private to that company.
  await db.schema
    .createTable('opportunity_refs')
    .addColumn('company_id', 'text', (c) => c.notNull().references('companies.id'))
    .addColumn('external_ref', 'text', (c) => c.notNull())
    .addColumn('opportunity_id', 'text', (c) =>
      c.notNull().references('opportunities.id').onDelete('cascade'),
    )
    .addPrimaryKeyConstraint('opportunity_refs_pk', ['company_id', 'external_ref'])
    .addUniqueConstraint('opportunity_refs_one_per_deal', ['company_id', 'opportunity_id'])
    .execute();

  await db.schema
    .createTable('co_sell_steps')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('opportunity_id', 'text', (c) =>
      c.notNull().references('opportunities.id').onDelete('cascade'),
    )
    .addColumn('play', 'text', (c) => c.notNull())
    .addColumn('title', 'text')
    .addColumn('owner_company_id', 'text', (c) => c.notNull())
    .addColumn('owner_person', 'text')
    .addColumn('due_date', 'text')
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('outcome', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('co_sell_steps_deal')
    .on('co_sell_steps')
    .column('opportunity_id')
    .execute();

  await db.schema
    .createTable('duplicate_flags')
    .addColumn('opportunity_id', 'text', (c) =>
      c.notNull().references('opportunities.id').onDelete('cascade'),
    )
    .addColumn('other_opportunity_id', 'text', (c) =>
      c.notNull().references('opportunities.id').onDelete('cascade'),
    )
    .addColumn('flagged_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('duplicate_flags_pk', ['opportunity_id', 'other_opportunity_id'])
    .execute();

  await db.schema
    .createTable('idempotency_keys')
    .addColumn('company_id', 'text', (c) => c.notNull())
    .addColumn('key', 'text', (c) => c.notNull())
    .addColumn('request_hash', 'text', (c) => c.notNull())
    .addColumn('response_status', int(db), (c) => c.notNull())
    .addColumn('response_body', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('idempotency_keys_pk', ['company_id', 'key'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of [
    'idempotency_keys',
    'duplicate_flags',
    'co_sell_steps',
    'opportunity_refs',
    'opportunity_participants',
    'opportunities',
  ]) {
    await db.schema.dropTable(table).execute();
  }
}
