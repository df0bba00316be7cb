import type { Config } from './config.ts';
import type { Clock } from './core/clock.ts';
import type { Db } from './core/db.ts';
import type { GroupCommit } from './core/group-commit.ts';
import type { Logger } from './core/logger.ts';
import type { DeploymentKey } from './tenants/keys/deployment-key.ts';
import type { KeyRing } from './tenants/keys/key-ring.ts';
import type { VerifiedTokenCache } from './tenants/tokens/verified-token-cache.ts';
import type { RateLimiter } from './core/rate-limiter.ts';
import type { DealDocs } from './sync/deal-docs.ts';

/**
 * What services use; built once in `main.ts` and passed down, never global. Services take the
 * slice they need as their first parameter; to join a transaction, pass `{ ...deps, db: trx }`.
 */
export interface AppDeps {
  config: Config;
  db: Db;
  /** Where deal writes go: grouped into shared durable commits. */
  writes: GroupCommit;
  /** The deal rooms' documents, which every deal write keeps in step. */
  docs: DealDocs;
  logger: Logger;
  clock: Clock;
  keyRing: KeyRing;
  deploymentKey: DeploymentKey;
  tokenRateLimiter: RateLimiter;
  /** Verified access tokens; every change that bears on tokens must call `invalidate()`. */
  tokenCache: VerifiedTokenCache;
}

export type Deps<K extends keyof AppDeps> = Pick<AppDeps, K>;
