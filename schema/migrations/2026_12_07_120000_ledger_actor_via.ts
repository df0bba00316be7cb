import { sql, type Kysely } from 'kysely';

// A change made by an agent is recorded as made by its principal, plus the face it came through
// (`mcp`) and the tool it called, so the history can say "Ada's agent added a step". Both are null
// for every other change; the hash covers them only when set, so earlier events keep their hashes.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable('ledger_events')
    .addColumn('actor_via', 'text', (c) => c.check(sql`actor_via in ('mcp')`))
    .execute();
  await db.schema.alterTable('ledger_events').addColumn('actor_tool', 'text').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('ledger_events').dropColumn('actor_tool').execute();
  await db.schema.alterTable('ledger_events').dropColumn('actor_via').execute();
}
