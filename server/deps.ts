import type { Config } from './config.ts';
import type { Clock } from './core/clock.ts';
import type { Db } from './store/db.ts';
import type { WriteQueue } from './store/write-queue.ts';
import type { Logger } from './core/logger.ts';
import type { DeploymentSigner } from './tenants/keys/deployment-signer.ts';
import type { CompanyKeys } from './tenants/keys/company-keys.ts';
import type { TokenCache } from './tenants/tokens/token-cache.ts';
import type { RateLimit } from './core/rate-limit.ts';
import type { WriteBudget } from './core/write-budget.ts';
import type { IdempotencyClaims } from './cluster/idempotency-claims.ts';
import type { DocRegistry } from './sync/doc-registry.ts';
import type { InsightsStore } from './insights/insights-store.ts';
import type { Principal } from './tenants/principal.ts';
import type { Scope } from '../shared/tenancy/tenancy.ts';
import type { IdealPartners } from '../shared/insights/ideal-partner.schema.ts';
import type { LedgerPositions } from './ledger/ledger-positions.ts';
import type { Leases } from './cluster/leases.ts';

/**
 * Who a request is, as the faces ask it: the tenants domain verifies tokens, and the faces (which
 * the domains' routers build on) never import it. Raises TokenInvalid, TokenExpired, Forbidden.
 */
export interface Authenticator {
  /** The principal of an Authorization header. */
  verify(deps: AppDeps, authorization: string | undefined): Promise<Principal>;
  /** Inside a write (`deps.db` its transaction): the token still good and `scope` still held. */
  recheck(
    deps: AppDeps,
    authorization: string | undefined,
    principal: Principal,
    scope: Scope | undefined,
  ): Promise<void>;
}

/** The partners to bring into a deal just created (the insights domain); null if ranking failed. */
export type RankNewDeal = (
  deps: AppDeps,
  actor: Principal,
  dealId: string,
) => Promise<IdealPartners | null>;

/**
 * What services use; built once in `main.ts` and passed down, never global. Services take the
 * slice they need as their first parameter; from inside a write, pass `inWrite(deps, trx)`.
 */
export interface AppDeps {
  config: Config;
  db: Db;
  auth: Authenticator;
  rankNewDeal: RankNewDeal;
  /** Where writes go (grouped into shared durable commits); inside a write, `inWrite` joins it. */
  writes: WriteQueue;
  /** The deal rooms' documents, which every deal write keeps in step. */
  docs: DocRegistry;
  logger: Logger;
  clock: Clock;
  keyRing: CompanyKeys;
  deploymentKey: DeploymentSigner;
  tokenRateLimiter: RateLimit;
  /** Counters over a day: account-list uploads and overlap queries (see overlap-policy.ts). */
  dailyLimiter: RateLimit;
  /** Writes per principal per minute, over every face (TANDEM_RATE_LIMIT_PER_MIN). */
  writeLimit: WriteBudget;
  /** The Idempotency-Keys whose requests are running, on this instance or (PostgreSQL) any. */
  idempotencyClaims: IdempotencyClaims;
  /** Verified access tokens; every change that bears on tokens must call `invalidate()`. */
  tokenCache: TokenCache;
  /** Ledger positions as each company sees them: opaque cursors and event ids of its own. */
  positions: LedgerPositions;
  /** The partnership transparency logs: `catchUp()` once every committed event is in them. */
  transparency: { wake(): void; catchUp(): Promise<void> };
  /** Per-company partner records and model weights for the Ideal Deal Partner ranking. */
  insights: InsightsStore;
  /** This instance among those sharing the store, and the leases on once-per-cluster work. */
  instance: { id: string; leases: Leases };
}

export type Deps<K extends keyof AppDeps> = Pick<AppDeps, K>;
