import { sql } from 'kysely';
import { pendingMigrations } from '../../../schema/migrator.ts';
import type { AppDeps } from '../../deps.ts';

/** The check that failed, first one wins: draining costs nothing, the database a round trip. */
export type ReadinessFailure = 'draining' | 'database' | 'migrations';

export type ReadinessAnswer =
  { ready: true } | { ready: false; failed: ReadinessFailure; detail: string };

/** A load balancer's probe gives up after a few seconds; answering 503 first says more than a hang. */
const databaseTimeoutMs = 2000;

/**
 * Whether this instance should get traffic (`GET /readyz`), as distinct from whether it is alive
 * (`/healthz`): an instance that is draining, cannot reach the database, or runs on a schema
 * missing a migration it knows stays up but is taken out of rotation.
 */
export class Readiness {
  #draining = false;

  /** From now on not ready, for good: the shutdown has begun. */
  drain(): void {
    this.#draining = true;
  }

  get draining(): boolean {
    return this.#draining;
  }

  async check(deps: AppDeps): Promise<ReadinessAnswer> {
    if (this.#draining) return { ready: false, failed: 'draining', detail: 'shutting down' };
    let pending: string[];
    try {
      await withTimeout(sql`select 1`.execute(deps.db), databaseTimeoutMs);
      // Another instance (or `tandem db migrate down`) may have moved the schema since we started.
      pending = await withTimeout(pendingMigrations(deps.db), databaseTimeoutMs);
    } catch (error) {
      // The probe is unauthenticated: the cause goes to the log, not to whoever asked.
      deps.logger.warn({ err: error }, 'readiness: the database did not answer');
      return { ready: false, failed: 'database', detail: 'the database did not answer' };
    }
    if (pending.length > 0)
      return { ready: false, failed: 'migrations', detail: `pending: ${pending.join(', ')}` };
    return { ready: true };
  }
}

function withTimeout<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([work, late]).finally(() => clearTimeout(timer));
}
