import { sql, type Kysely } from 'kysely';
import { int } from './dialect.ts';

// Projections of the attribution.* ledger events of each deal.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('attribution_versions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('deal_id', 'text', (c) =>
      c.notNull().references('opportunities.id').onDelete('cascade'),
    )
    .addColumn('version', int(db), (c) => c.notNull())
    .addColumn('status', 'text', (c) =>
      c.notNull().check(sql`status in ('proposed','sealed','superseded')`),
    )
    .addColumn('close_date', 'text', (c) => c.notNull())
    // RFC 8785 canonical statement: the exact bytes every signature covers.
    .addColumn('statement', 'text', (c) => c.notNull())
    .addColumn('statement_hash', 'text', (c) => c.notNull())
    .addColumn('proposed_by', 'text', (c) => c.notNull())
    .addColumn('proposed_at', 'text', (c) => c.notNull())
    .addColumn('sealed_at', 'text')
    // Once sealed: the record as exported, a JWS in General JSON serialization.
    .addColumn('record', 'text')
    .addUniqueConstraint('attribution_versions_deal_version', ['deal_id', 'version'])
    .execute();
  await db.schema
    .createIndex('attribution_versions_sealed')
    .on('attribution_versions')
    .columns(['status', 'close_date', 'id'])
    .execute();

  await db.schema
    .createTable('attribution_parties')
    .addColumn('version_id', 'text', (c) =>
      c.notNull().references('attribution_versions.id').onDelete('cascade'),
    )
    .addColumn('company_id', 'text', (c) => c.notNull())
    .addColumn('protected', 'text')
    .addColumn('signature', 'text')
    .addColumn('signed_at', 'text')
    .addColumn('dispute_reason', 'text')
    .addColumn('disputed_at', 'text')
    .addPrimaryKeyConstraint('attribution_parties_pk', ['version_id', 'company_id'])
    .execute();
  await db.schema
    .createIndex('attribution_parties_company')
    .on('attribution_parties')
    .columns(['company_id', 'version_id'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('attribution_parties').execute();
  await db.schema.dropTable('attribution_versions').execute();
}
