import { sql, type Kysely } from 'kysely';

// Each company's own account list (private) and what each owner lets each partner see of the overlap.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('accounts')
    .addColumn('company_id', 'text', (c) =>
      c.notNull().references('companies.id').onDelete('cascade'),
    )
    .addColumn('domain', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) =>
      c.notNull().check(sql`status in ('customer','opportunity','prospect')`),
    )
    .addColumn('segment', 'text')
    .addColumn('industry', 'text')
    .addColumn('region', 'text')
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('accounts_pk', ['company_id', 'domain'])
    .execute();
  await db.schema.createIndex('accounts_domain').on('accounts').column('domain').execute();

  await db.schema
    .createTable('overlap_rules')
    .addColumn('owner_id', 'text', (c) =>
      c.notNull().references('companies.id').onDelete('cascade'),
    )
    .addColumn('partner_id', 'text', (c) =>
      c.notNull().references('companies.id').onDelete('cascade'),
    )
    .addColumn('level', 'text', (c) =>
      c.notNull().check(sql`level in ('none','counts','accounts')`),
    )
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('overlap_rules_pk', ['owner_id', 'partner_id'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('overlap_rules').execute();
  await db.schema.dropTable('accounts').execute();
}
