import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  // One row per key a company signs with (managed: private part encrypted under the master key)
  // or registers for its own backend to sign with (external: public part only).
  await db.schema
    .createTable('signing_keys')
    .addColumn('kid', 'text', (c) => c.primaryKey())
    .addColumn('company_id', 'text', (c) =>
      c.notNull().references('companies.id').onDelete('cascade'),
    )
    .addColumn('purpose', 'text', (c) =>
      c.notNull().check(sql`purpose in ('access','attestation')`),
    )
    .addColumn('source', 'text', (c) => c.notNull().check(sql`source in ('managed','external')`))
    .addColumn('alg', 'text', (c) => c.notNull().check(sql`alg in ('EdDSA','ES256')`))
    .addColumn('public_jwk', 'text', (c) => c.notNull())
    .addColumn('private_jwk_enc', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('retired_at', 'text')
    .addCheckConstraint(
      'signing_keys_private_only_managed',
      sql`(source = 'managed') = (private_jwk_enc is not null)`,
    )
    .execute();
  await db.schema
    .createIndex('signing_keys_company')
    .on('signing_keys')
    .columns(['company_id', 'purpose', 'created_at'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('signing_keys').execute();
}
