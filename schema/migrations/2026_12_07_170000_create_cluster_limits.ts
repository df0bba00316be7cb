import type { Kysely } from 'kysely';
import { int } from './dialect.ts';

// What instances sharing one PostgreSQL database must agree on (issue 20): the hits counted
// against each rate limit, and the Idempotency-Keys whose requests are running. Times are epoch
// milliseconds of the database's clock, so instances with skewed clocks still agree. SQLite runs
// one process and counts in memory; it gets the tables too, unused, so the schemas stay one.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('rate_hits')
    .addColumn('limiter', 'text', (c) => c.notNull())
    .addColumn('key', 'text', (c) => c.notNull())
    .addColumn('window_start', int(db), (c) => c.notNull())
    .addColumn('count', int(db), (c) => c.notNull())
    .addPrimaryKeyConstraint('rate_hits_pk', ['limiter', 'key'])
    .execute();
  await db.schema.createIndex('rate_hits_window').on('rate_hits').column('window_start').execute();
  await db.schema
    .createTable('idempotency_claims')
    .addColumn('company_id', 'text', (c) => c.notNull())
    .addColumn('principal_id', 'text', (c) => c.notNull())
    .addColumn('key', 'text', (c) => c.notNull())
    .addColumn('holder', 'text', (c) => c.notNull())
    .addColumn('expires_at', int(db), (c) => c.notNull())
    .addPrimaryKeyConstraint('idempotency_claims_pk', ['company_id', 'principal_id', 'key'])
    .execute();
  await db.schema
    .createIndex('idempotency_claims_expiry')
    .on('idempotency_claims')
    .column('expires_at')
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('idempotency_claims').execute();
  await db.schema.dropTable('rate_hits').execute();
}
