import { sql } from 'kysely';
import type { Db } from '../store/db.ts';

// The tables instances on one PostgreSQL database share to agree on limits and claims and to share
// insights builds (migrations 2026_12_07_170000_create_cluster_limits and _180000_create_insights_builds). They are kept out of schema/database.ts on
// purpose: what they hold is transient (a count over a minute, a request running now), so a copy
// between stores (store-tables.ts lists every table of Database) leaves them behind. Type aliases,
// not interfaces: `withTables` wants record types, which interfaces are not.

export type RateHitsTable = {
  /** Which limit counts (`token`, `daily`, `writes`): one key may be counted by several. */
  limiter: string;
  key: string;
  /** Epoch ms, the database's clock: when this key's current window opened. */
  window_start: number;
  count: number;
};

export type IdempotencyClaimsTable = {
  company_id: string;
  principal_id: string;
  key: string;
  /** Which claim holds the key, so a release never ends a claim made after its own lapsed. */
  holder: string;
  /** Epoch ms, the database's clock: past it, the claim's instance is presumed dead. */
  expires_at: number;
};

/** A company's insights as one instance built them (v8-serialized), for the others to read. */
export type InsightsBuildsTable = {
  company_id: string;
  /** The ledger head the build read. */
  head: number;
  built_at: string;
  build_ms: number;
  body: Uint8Array;
};

export type ClusterTables = {
  rate_hits: RateHitsTable;
  idempotency_claims: IdempotencyClaimsTable;
  insights_builds: InsightsBuildsTable;
};

/** The database with the cluster's tables in view. */
export function clusterDb(db: Db) {
  return db.withTables<ClusterTables>();
}

/**
 * Now in epoch milliseconds by the database's clock, the one clock every instance shares. The
 * statement's start time: every use within one statement reads the same instant.
 */
export const databaseNowMs = sql<number>`(extract(epoch from statement_timestamp()) * 1000)::bigint`;

/** How often an instance deletes lapsed rows; any instance's sweep serves them all. */
export const sweepEveryMs = 10 * 60_000;
