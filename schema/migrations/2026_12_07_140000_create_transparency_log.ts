import type { Kysely } from 'kysely';
import { int } from './dialect.ts';

// The transparency log: one Merkle tree (RFC 9162) per pair of companies over the ledger events
// both see (see server/transparency). Hashes are lower-case hex.
export async function up(db: Kysely<unknown>): Promise<void> {
  // Which ledger event each leaf holds; the entry itself is rebuilt from the event.
  await db.schema
    .createTable('transparency_leaves')
    .addColumn('log_id', 'text', (c) => c.notNull())
    .addColumn('idx', int(db), (c) => c.notNull())
    .addColumn('event_seq', int(db), (c) => c.notNull())
    .addPrimaryKeyConstraint('transparency_leaves_pk', ['log_id', 'idx'])
    .execute();
  await db.schema
    .createIndex('transparency_leaves_event')
    .unique()
    .on('transparency_leaves')
    .columns(['event_seq', 'log_id'])
    .execute();
  // Every perfect subtree's hash: level 0 are the leaf hashes, node (level, idx) covers leaves
  // [idx·2^level, (idx+1)·2^level). Any proof reads O(log n) of them.
  await db.schema
    .createTable('transparency_nodes')
    .addColumn('log_id', 'text', (c) => c.notNull())
    .addColumn('level', int(db), (c) => c.notNull())
    .addColumn('idx', int(db), (c) => c.notNull())
    .addColumn('hash', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('transparency_nodes_pk', ['log_id', 'level', 'idx'])
    .execute();
  // The last ledger event the logs have taken in.
  await db.schema
    .createTable('transparency_cursor')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('event_seq', int(db), (c) => c.notNull())
    .execute();
  // Checkpoints the log signed (a C2SP signed note: body and the log's signature line).
  await db.schema
    .createTable('transparency_checkpoints')
    .addColumn('log_id', 'text', (c) => c.notNull())
    .addColumn('size', int(db), (c) => c.notNull())
    .addColumn('root_hash', 'text', (c) => c.notNull())
    .addColumn('note', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('transparency_checkpoints_pk', ['log_id', 'size'])
    .execute();
  // A company's witness's cosignature of a checkpoint (one note signature line, cosignature/v1).
  await db.schema
    .createTable('transparency_cosignatures')
    .addColumn('log_id', 'text', (c) => c.notNull())
    .addColumn('size', int(db), (c) => c.notNull())
    .addColumn('company_id', 'text', (c) => c.notNull().references('companies.id'))
    .addColumn('key_id', 'text', (c) => c.notNull())
    .addColumn('line', 'text', (c) => c.notNull())
    .addColumn('cosigned_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('transparency_cosignatures_pk', ['log_id', 'size', 'company_id'])
    .execute();
  // Each company's witness public keys (vkeys); the private key never reaches Tandem.
  await db.schema
    .createTable('witness_keys')
    .addColumn('company_id', 'text', (c) => c.notNull().references('companies.id'))
    .addColumn('key_id', 'text', (c) => c.notNull())
    .addColumn('vkey', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('retired_at', 'text')
    .addPrimaryKeyConstraint('witness_keys_pk', ['company_id', 'key_id'])
    .execute();
  // What a company's witness reported as wrong (a fork, a log that shrank), for its admins.
  await db.schema
    .createTable('witness_alarms')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('company_id', 'text', (c) => c.notNull().references('companies.id'))
    .addColumn('log_id', 'text', (c) => c.notNull())
    .addColumn('detail', 'text', (c) => c.notNull())
    .addColumn('reported_at', 'text', (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of [
    'witness_alarms',
    'witness_keys',
    'transparency_cosignatures',
    'transparency_checkpoints',
    'transparency_cursor',
    'transparency_nodes',
    'transparency_leaves',
  ])
    await db.schema.dropTable(table).execute();
}
