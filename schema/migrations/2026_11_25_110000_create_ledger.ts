import { sql, type Kysely } from 'kysely';
import { isPostgres, int, serial } from './dialect.ts';

export async function up(db: Kysely<unknown>): Promise<void> {
  // The append-only log of every change to shared state; see server/ledger/ledger-hash.ts for the
  // hashing rules. `seq` is the global cursor; `deal_seq` orders one deal's events.
  await db.schema
    .createTable('ledger_events')
    .addColumn('seq', serial(db), (c) =>
      isPostgres(db) ? c.primaryKey() : c.primaryKey().autoIncrement(),
    )
    .addColumn('deal_id', 'text')
    .addColumn('deal_seq', int(db))
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('actor_company_id', 'text', (c) => c.notNull())
    .addColumn('actor_kind', 'text', (c) =>
      c.notNull().check(sql`actor_kind in ('member','client','system')`),
    )
    .addColumn('actor_id', 'text', (c) => c.notNull())
    .addColumn('private_to', 'text')
    .addColumn('at', 'text', (c) => c.notNull())
    .addColumn('data', 'text', (c) => c.notNull())
    .addColumn('prev_hash', 'text', (c) => c.notNull())
    .addColumn('deal_prev_hash', 'text')
    .addColumn('hash', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('ledger_events_deal')
    .unique()
    .on('ledger_events')
    .columns(['deal_id', 'deal_seq'])
    .execute();

  await db.schema
    .createTable('ledger_checkpoints')
    .addColumn('size', int(db), (c) => c.primaryKey())
    .addColumn('head_hash', 'text', (c) => c.notNull())
    .addColumn('at', 'text', (c) => c.notNull())
    .addColumn('jws', 'text', (c) => c.notNull())
    .execute();

  // The deployment's own signing keys (checkpoints, webhook signatures), published at /.well-known/jwks.json.
  await db.schema
    .createTable('deployment_keys')
    .addColumn('kid', 'text', (c) => c.primaryKey())
    .addColumn('public_jwk', 'text', (c) => c.notNull())
    .addColumn('private_jwk_enc', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('retired_at', 'text')
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('deployment_keys').execute();
  await db.schema.dropTable('ledger_checkpoints').execute();
  await db.schema.dropTable('ledger_events').execute();
}
