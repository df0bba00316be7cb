import type { Deps } from '../deps.ts';
import type { CompanyScope } from '../tenants/principal.ts';
import type { CompanyInsights } from './insights-build.ts';

/**
 * Where a ranking gets a company's partner statistics and model weights. Kept apart from
 * InsightsCache, which builds and holds them in this process, so instances can share the work.
 */
export interface InsightsStore {
  /** The company's insights, possibly a little stale; only the first call may wait for a build. */
  get(
    deps: Deps<'db' | 'clock' | 'logger' | 'config'>,
    scope: CompanyScope,
  ): Promise<CompanyInsights>;
}
