import { sql, type Kysely } from 'kysely';
import { int } from './dialect.ts';

// Outbound webhooks. The ledger is the outbox: each endpoint keeps a cursor into it (the same
// cursor the change feed takes), and each event the endpoint is due gets a delivery row, written
// durably before the first attempt and updated after every attempt.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('webhook_endpoints')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('company_id', 'text', (c) =>
      c.notNull().references('companies.id').onDelete('cascade'),
    )
    .addColumn('url', 'text', (c) => c.notNull())
    // JSON array of event type patterns: `opportunity.updated`, `opportunity.*`, `*`.
    .addColumn('event_types', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) =>
      c.notNull().check(sql`status in ('active','paused','failing')`),
    )
    .addColumn('failure_reason', 'text')
    // The seq of the last ledger event the endpoint has taken from the feed.
    .addColumn('cursor', int(db), (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('webhook_endpoints_company')
    .on('webhook_endpoints')
    .columns(['company_id', 'created_at'])
    .execute();

  await db.schema
    .createTable('webhook_deliveries')
    .addColumn('endpoint_id', 'text', (c) =>
      c.notNull().references('webhook_endpoints.id').onDelete('cascade'),
    )
    .addColumn('seq', int(db), (c) => c.notNull())
    // Deliveries of one lane (a deal) go out one at a time, in seq order.
    .addColumn('lane', 'text', (c) => c.notNull())
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) =>
      c.notNull().check(sql`status in ('pending','delivered','failed')`),
    )
    .addColumn('attempts', int(db), (c) => c.notNull())
    .addColumn('first_attempt_at', 'text')
    .addColumn('next_attempt_at', 'text', (c) => c.notNull())
    .addColumn('last_attempt_at', 'text')
    .addColumn('last_status_code', int(db))
    .addColumn('last_latency_ms', int(db))
    .addColumn('last_error', 'text')
    .addColumn('delivered_at', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('webhook_deliveries_pk', ['endpoint_id', 'seq'])
    .execute();
  await db.schema
    .createIndex('webhook_deliveries_lane')
    .on('webhook_deliveries')
    .columns(['endpoint_id', 'status', 'lane', 'seq'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('webhook_deliveries').execute();
  await db.schema.dropTable('webhook_endpoints').execute();
}
