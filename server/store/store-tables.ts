import type { Database } from '../../schema/database.ts';

type Column<T extends keyof Database> = keyof Database[T] & string;

export interface TableSpec<T extends keyof Database> {
  /** The primary key, in order: what a copy pages by. */
  key: readonly Column<T>[];
  /** A column numbered by the database (SQLite autoincrement, PostgreSQL bigserial). */
  serial?: Column<T>;
}

/**
 * Every table of schema/database.ts (a table left out fails to compile), parents before the
 * tables whose foreign keys point at them: the order a copy inserts in.
 */
export const storeTables: { [T in keyof Database]: TableSpec<T> } = {
  companies: { key: ['id'] },
  members: { key: ['id'] },
  signing_keys: { key: ['kid'] },
  api_clients: { key: ['id'] },
  revoked_tokens: { key: ['issuer', 'jti'] },
  partnerships: { key: ['id'] },
  unmatched_invitations: { key: ['id'] },
  ledger_events: { key: ['seq'], serial: 'seq' },
  ledger_checkpoints: { key: ['size'] },
  deployment_keys: { key: ['kid'] },
  opportunities: { key: ['id'] },
  opportunity_participants: { key: ['opportunity_id', 'company_id'] },
  opportunity_refs: { key: ['company_id', 'external_ref'] },
  co_sell_steps: { key: ['id'] },
  duplicate_flags: { key: ['opportunity_id', 'other_opportunity_id'] },
  idempotency_keys: { key: ['company_id', 'principal_id', 'key'] },
  attribution_versions: { key: ['id'] },
  attribution_parties: { key: ['version_id', 'company_id'] },
  accounts: { key: ['company_id', 'domain'] },
  overlap_rules: { key: ['owner_id', 'partner_id'] },
  webhook_endpoints: { key: ['id'] },
  webhook_deliveries: { key: ['endpoint_id', 'seq'] },
  deal_doc_updates: { key: ['id'], serial: 'id' },
  notes_due: { key: ['deal_id'] },
  partner_profiles: { key: ['company_id', 'partner_type'] },
  partner_profile_values: { key: ['company_id', 'subject_id', 'dimension'] },
  transparency_leaves: { key: ['log_id', 'idx'] },
  transparency_nodes: { key: ['log_id', 'level', 'idx'] },
  transparency_cursor: { key: ['id'] },
  transparency_checkpoints: { key: ['log_id', 'size'] },
  transparency_cosignatures: { key: ['log_id', 'size', 'company_id'] },
  witness_keys: { key: ['company_id', 'key_id'] },
  witness_alarms: { key: ['id'] },
};

export type TableName = keyof Database;

/** The table names in copy order. */
export const tableNames = Object.keys(storeTables) as TableName[];
