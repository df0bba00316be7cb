import type { Kysely } from 'kysely';
import { int, float } from './dialect.ts';

// Ideal partner profiles (per company and partner type) and manual values of custom dimensions.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('partner_profiles')
    .addColumn('company_id', 'text', (c) =>
      c.notNull().references('companies.id').onDelete('cascade'),
    )
    .addColumn('partner_type', 'text', (c) => c.notNull())
    .addColumn('dimensions', 'text', (c) => c.notNull())
    .addColumn('recruit', float(db), (c) => c.notNull())
    .addColumn('nurture', float(db), (c) => c.notNull())
    .addColumn('target_segments', 'text', (c) => c.notNull())
    .addColumn('capacity_target', int(db), (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('partner_profiles_pk', ['company_id', 'partner_type'])
    .execute();
  await db.schema
    .createTable('partner_profile_values')
    .addColumn('company_id', 'text', (c) =>
      c.notNull().references('companies.id').onDelete('cascade'),
    )
    .addColumn('subject_id', 'text', (c) =>
      c.notNull().references('companies.id').onDelete('cascade'),
    )
    .addColumn('dimension', 'text', (c) => c.notNull())
    .addColumn('value', float(db), (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('partner_profile_values_pk', ['company_id', 'subject_id', 'dimension'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('partner_profile_values').execute();
  await db.schema.dropTable('partner_profiles').execute();
}
