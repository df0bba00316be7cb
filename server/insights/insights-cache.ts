import { buildStats, type HistoryStats } from '../../shared/insights/partner-stats.ts';
import { trainModel, type PartnerModel } from '../../shared/insights/partner-model.ts';
import type { Deps } from '../app-deps.ts';
import type { CompanyScope } from '../tenants/principal.ts';
import { accountSignals, activePartners, ledgerHead, loadHistory } from './insights.repository.ts';

/** What a company's rankings read: its partners' records and its fitted weights. */
export interface CompanyInsights {
  stats: HistoryStats;
  model: PartnerModel;
  builtAt: Date;
  /** The ledger head it was built at. */
  head: number;
  /** How long the build took (ms): rebuilds are spaced so they take at most 5% of the time. */
  buildMs: number;
}

/**
 * Per-company partner statistics and model weights, so a ranking never scans history. An entry is
 * rebuilt once the ledger has moved on and the entry is older than `refreshMs` and than twenty
 * times its last build (a build reads SQLite synchronously, so it holds the event loop); it runs
 * behind the answer (the stale entry still serves meanwhile), one at a time per company. Only the
 * first ranking of a company waits for a build. Partnerships and account sharing are read live.
 */
export class InsightsCache {
  readonly #entries = new Map<string, CompanyInsights>();
  readonly #building = new Map<string, Promise<CompanyInsights>>();

  constructor(readonly refreshMs = 30_000) {}

  async get(deps: Deps<'db' | 'clock' | 'logger'>, scope: CompanyScope): Promise<CompanyInsights> {
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

  #build(deps: Deps<'db' | 'clock'>, scope: CompanyScope): Promise<CompanyInsights> {
    let running = this.#building.get(scope.companyId);
    if (!running) {
      running = buildInsights(deps, scope)
        .then((built) => {
          this.#entries.set(scope.companyId, built);
          return built;
        })
        .finally(() => this.#building.delete(scope.companyId));
      this.#building.set(scope.companyId, running);
    }
    return running;
  }
}

/** Loads the company's history once and fits its weights. */
export async function buildInsights(
  deps: Deps<'db' | 'clock'>,
  scope: CompanyScope,
): Promise<CompanyInsights> {
  const builtAt = deps.clock.now();
  const started = performance.now();
  const head = await ledgerHead(deps.db);
  const [deals, partners, overlap] = [
    await loadHistory(deps.db, scope),
    await activePartners(deps.db, scope),
    await accountSignals(deps.db, scope),
  ];
  const stats = buildStats(deals);
  const types = new Map(partners.map((p) => [p.id, p.type]));
  const model = trainModel(deals, stats, {
    typeOf: (id) => types.get(id),
    accountOf: (id, domain) => (domain ? (overlap.get(id)?.get(domain) ?? null) : null),
  });
  return { stats, model, builtAt, head, buildMs: performance.now() - started };
}
