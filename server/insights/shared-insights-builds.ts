import v8 from 'node:v8';
import type { Leases } from '../cluster/leases.ts';
import { clusterDb } from '../cluster/cluster-tables.ts';
import type { Deps } from '../deps.ts';
import type { Db } from '../store/db.ts';
import type { CompanyScope } from '../tenants/principal.ts';
import type { CompanyInsights } from './insights-build.ts';
import { ledgerHead } from './insights.repository.ts';

type BuildDeps = Deps<'db' | 'clock' | 'logger'>;

/**
 * Insights builds shared by the instances on one PostgreSQL database: a company is built by one
 * instance at a time (the lease `insights:<company>`), stored, and read by the others, instead of
 * every instance spending seconds of CPU on the same history. A stored build serves while it is
 * fresh by the cache's own rule (the ledger has not moved, or it is younger than `refreshMs` and
 * twenty times its build). While another instance builds, what there is serves; with nothing yet,
 * this waits for it (at most `waitMs`, then builds itself).
 */
export class SharedInsightsBuilds {
  constructor(
    private readonly leases: Leases,
    private readonly waitMs = 30_000,
  ) {}

  async build(
    deps: BuildDeps,
    scope: CompanyScope,
    input: {
      /** What this instance holds now, if anything. */
      known: CompanyInsights | undefined;
      refreshMs: number;
      /** Builds here (in a worker thread for a large company). */
      local: () => Promise<CompanyInsights>;
    },
  ): Promise<CompanyInsights> {
    const lease = `insights:${scope.companyId}`;
    const deadline = Date.now() + this.waitMs;
    for (;;) {
      const head = await ledgerHead(deps.db);
      const stored = await this.#load(deps, scope.companyId);
      const best = newest(stored, input.known);
      if (best && best === stored && this.#fresh(deps, best, head, input.refreshMs)) return best;
      const ttlMs = Math.max(60_000, 5 * (best?.buildMs ?? 0));
      if ((await this.leases.acquire(lease, ttlMs)) !== null) {
        try {
          const built = await input.local();
          await store(deps.db, scope.companyId, built);
          return built;
        } finally {
          await this.leases.release(lease).catch(() => {});
        }
      }
      if (best) return best;
      if (Date.now() > deadline) return input.local();
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }

  #fresh(deps: BuildDeps, built: CompanyInsights, head: number, refreshMs: number): boolean {
    const age = deps.clock.now().getTime() - built.builtAt.getTime();
    return built.head === head || age < Math.max(refreshMs, 20 * built.buildMs);
  }

  async #load(deps: BuildDeps, companyId: string): Promise<CompanyInsights | undefined> {
    const row = await clusterDb(deps.db)
      .selectFrom('insights_builds')
      .select('body')
      .where('company_id', '=', companyId)
      .executeTakeFirst();
    if (!row) return undefined;
    try {
      return v8.deserialize(row.body) as CompanyInsights;
    } catch (error) {
      // Written by another Node version, say: built again.
      deps.logger.warn({ err: error, companyId }, 'a stored insights build could not be read');
      return undefined;
    }
  }
}

function newest(
  a: CompanyInsights | undefined,
  b: CompanyInsights | undefined,
): CompanyInsights | undefined {
  if (!a || !b) return a ?? b;
  return b.builtAt.getTime() > a.builtAt.getTime() ? b : a;
}

/** Stores a build unless a newer one (a later ledger head) is there already. */
async function store(db: Db, companyId: string, built: CompanyInsights): Promise<void> {
  const row = {
    company_id: companyId,
    head: built.head,
    built_at: built.builtAt.toISOString(),
    build_ms: built.buildMs,
    body: v8.serialize(built),
  };
  await clusterDb(db)
    .insertInto('insights_builds')
    .values(row)
    .onConflict((oc) =>
      oc
        .column('company_id')
        .doUpdateSet({
          head: row.head,
          built_at: row.built_at,
          build_ms: row.build_ms,
          body: row.body,
        })
        .where('insights_builds.head', '<=', row.head),
    )
    .execute();
}
