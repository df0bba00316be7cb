import type { Deps } from '../deps.ts';
import type { CompanyScope } from '../tenants/principal.ts';
import { buildInWorker, buildInsights, type CompanyInsights } from './insights-build.ts';
import { ledgerHead, participationCount } from './insights.repository.ts';
import type { InsightsStore } from './insights-store.ts';

export type { CompanyInsights };

type CacheDeps = Deps<'db' | 'clock' | 'logger' | 'config'>;

/** Where a build comes from when several instances share the store (see SharedInsightsBuilds). */
export interface BuildSource {
  build(
    deps: CacheDeps,
    scope: CompanyScope,
    input: {
      known: CompanyInsights | undefined;
      refreshMs: number;
      local: () => Promise<CompanyInsights>;
    },
  ): Promise<CompanyInsights>;
}

/**
 * Per-company partner statistics and model weights, so a ranking never scans history. An entry is
 * rebuilt once the ledger has moved on and the entry is older than `refreshMs` and than twenty
 * times its last build; it runs behind the answer (the stale entry still serves meanwhile), one at
 * a time per company. Only the first ranking of a company waits for a build. A company with
 * `workerFromDeals` deals or more is built in a worker thread, since a build reads SQLite
 * synchronously and would hold the event loop for seconds. Partnerships and account sharing are
 * read live. With several instances (`shared`), a build is made by one of them and read by the
 * others.
 */
export class InsightsCache implements InsightsStore {
  readonly #entries = new Map<string, CompanyInsights>();
  readonly #building = new Map<string, Promise<CompanyInsights>>();
  #workers: Promise<unknown> = Promise.resolve();
  readonly refreshMs: number;
  readonly workerFromDeals: number;

  readonly #shared: BuildSource | undefined;

  constructor(
    options: { refreshMs?: number; workerFromDeals?: number; shared?: BuildSource } = {},
  ) {
    this.refreshMs = options.refreshMs ?? 30_000;
    this.workerFromDeals = options.workerFromDeals ?? 20_000;
    this.#shared = options.shared;
  }

  async get(deps: CacheDeps, scope: CompanyScope): Promise<CompanyInsights> {
    const entry = this.#entries.get(scope.companyId);
    if (!entry) return this.#build(deps, scope);
    const head = await ledgerHead(deps.db);
    const age = deps.clock.now().getTime() - entry.builtAt.getTime();
    if (head !== entry.head && age >= Math.max(this.refreshMs, 20 * entry.buildMs))
      this.#build(deps, scope).catch((error: unknown) =>
        deps.logger.error({ err: error, companyId: scope.companyId }, 'insights rebuild failed'),
      );
    return entry;
  }

  /** Forgets every entry (the next ranking of each company builds afresh). */
  invalidate(): void {
    this.#entries.clear();
  }

  #build(deps: CacheDeps, scope: CompanyScope): Promise<CompanyInsights> {
    let running = this.#building.get(scope.companyId);
    if (!running) {
      const local = () => this.#run(deps, scope);
      running = (
        this.#shared
          ? this.#shared.build(deps, scope, {
              known: this.#entries.get(scope.companyId),
              refreshMs: this.refreshMs,
              local,
            })
          : local()
      )
        .then((built) => {
          this.#entries.set(scope.companyId, built);
          return built;
        })
        .finally(() => this.#building.delete(scope.companyId));
      this.#building.set(scope.companyId, running);
    }
    return running;
  }

  async #run(deps: CacheDeps, scope: CompanyScope): Promise<CompanyInsights> {
    if ((await participationCount(deps.db, scope)) < this.workerFromDeals)
      return buildInsights(deps, scope);
    // One worker at a time: each holds a company's whole history, and this machine has few cores.
    const run = this.#workers.then(() => buildInWorker(deps.config, scope, deps.clock.now()));
    this.#workers = run.catch(() => {});
    return run;
  }
}
