import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { compiled, packageRoot } from '../core/package-root.ts';
import { buildStats, type HistoryStats } from '../../shared/insights/partner-stats.ts';
import { trainModel, type PartnerModel } from '../../shared/insights/partner-model.ts';
import type { Deps } from '../deps.ts';
import type { CompanyScope } from '../tenants/principal.ts';
import { activePartners, ledgerHead, loadHistory } from './insights.repository.ts';
import type { Config } from '../config.ts';

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

/** Loads the company's history once and fits its weights. */
export async function buildInsights(
  deps: Deps<'db' | 'clock'>,
  scope: CompanyScope,
): Promise<CompanyInsights> {
  const builtAt = deps.clock.now();
  const started = performance.now();
  const head = await ledgerHead(deps.db);
  const [deals, partners] = [
    await loadHistory(deps.db, scope),
    await activePartners(deps.db, scope),
  ];
  const stats = buildStats(deals);
  const types = new Map(partners.map((p) => [p.id, p.type]));
  // No account lists here: they hold only today's state, which a past deal could not have known.
  const model = trainModel(deals, stats, (id) => types.get(id));
  return { stats, model, builtAt, head, buildMs: performance.now() - started };
}

/**
 * The same build in a worker thread on its own read-only connection: the reads and the fit hold
 * that thread, not the server's event loop (at 200,000 deals they take seconds).
 */
export function buildInWorker(
  config: Pick<Config, 'dataDir' | 'database'>,
  scope: CompanyScope,
  now: Date,
): Promise<CompanyInsights> {
  // Compiled, the worker is its own file in dist/node; from the sources it loads TypeScript as
  // the server does (through tsx), whether the server runs under tsx or under the test runner;
  // tsx is found from here, not from the working directory.
  const entry = compiled
    ? pathToFileURL(
        path.join(
          packageRoot(import.meta.dirname),
          'dist/node/server/insights/insights-build.worker.js',
        ),
      ).href
    : new URL('./insights-build.worker.ts', import.meta.url).href;
  const load = compiled
    ? `import(${JSON.stringify(entry)})`
    : `import(${JSON.stringify(import.meta.resolve('tsx/esm/api'))}).then((tsx) => { tsx.register(); return import(${JSON.stringify(entry)}); })`;
  const worker = new Worker(load, {
    eval: true,
    workerData: {
      dataDir: config.dataDir,
      databaseUrl: config.database?.url,
      companyId: scope.companyId,
      now: now.toISOString(),
    },
  });
  worker.unref();
  return new Promise((resolve, reject) => {
    worker.once(
      'message',
      (reply: { ok: true; built: CompanyInsights } | { ok: false; message: string }) => {
        if (reply.ok) resolve(reply.built);
        else reject(new Error(`insights build failed: ${reply.message}`));
      },
    );
    worker.once('error', reject);
    worker.once('exit', (code) => reject(new Error(`insights worker exited with ${code}`)));
  });
}
