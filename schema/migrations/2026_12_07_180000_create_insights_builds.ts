import type { Kysely } from 'kysely';
import { bytes, float, int } from './dialect.ts';

// Several instances on one PostgreSQL: a company's Ideal Partner statistics and weights, built by
// one instance (under a lease) and read by the others instead of each building its own. A cache:
// rebuilt from the ledger at will, never copied between stores. SQLite runs one process and keeps
// its builds in memory; it gets the table too, unused, so the schemas stay one.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('insights_builds')
    .addColumn('company_id', 'text', (c) => c.primaryKey())
    .addColumn('head', int(db), (c) => c.notNull())
    .addColumn('built_at', 'text', (c) => c.notNull())
    .addColumn('build_ms', float(db), (c) => c.notNull())
    .addColumn('body', bytes(db), (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('insights_builds').execute();
}
