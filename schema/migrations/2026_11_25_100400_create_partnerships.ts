import { sql, type Kysely } from 'kysely';
import { isPostgres } from './dialect.ts';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('partnerships')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('inviter_id', 'text', (c) =>
      c.notNull().references('companies.id').onDelete('cascade'),
    )
    .addColumn('invitee_id', 'text', (c) =>
      c.notNull().references('companies.id').onDelete('cascade'),
    )
    .addColumn('partner_type', 'text', (c) =>
      c
        .notNull()
        .check(
          sql`partner_type in ('reseller','referral','oem','service','marketplace','technology')`,
        ),
    )
    .addColumn('tier', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) =>
      c.notNull().check(sql`status in ('invited','active','declined','ended')`),
    )
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('responded_at', 'text')
    .addColumn('ended_at', 'text')
    .addColumn('ended_by', 'text')
    .addCheckConstraint('partnerships_two_companies', sql`inviter_id <> invitee_id`)
    .execute();
  // At most one live partnership per pair of companies, whoever invited whom. (SQLite's scalar
  // min/max are PostgreSQL's least/greatest.)
  const [low, high] = isPostgres(db) ? ['least', 'greatest'] : ['min', 'max'];
  await sql`create unique index partnerships_live_pair on partnerships
    (${sql.raw(low!)}(inviter_id, invitee_id), ${sql.raw(high!)}(inviter_id, invitee_id))
    where status in ('invited','active')`.execute(db);
  await db.schema
    .createIndex('partnerships_invitee')
    .on('partnerships')
    .column('invitee_id')
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('partnerships').execute();
}
