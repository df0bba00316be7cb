import path from 'node:path';
import SQLite from 'better-sqlite3';
import { databaseFileName } from '../../server/store/sqlite/db.ts';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { buildInWorker, buildInsights } from '../../server/insights/insights-build.ts';
import { idealPartnersForDraft } from '../../server/insights/ideal-partners.service.ts';
import { startTestServer } from '../../test/kit/harness.ts';
import { sleep } from '../../test/kit/sleep.ts';
import { segments } from '../../shared/opportunities/opportunity-fields.ts';
import { roleScopes } from '../../shared/tenancy/tenancy.ts';
import { figure, type Figure } from './measure.ts';
import { seedHistory } from './seed-history.ts';

/** The history's size and how many rankings are timed; the defaults are the full run's. */
export interface RecommendSizes {
  partners: number;
  deals: number;
  /** Rankings timed in the service. */
  samples: number;
  /** Rankings timed over tRPC/HTTP. */
  httpSamples: number;
}

const fullSizes: RecommendSizes = { partners: 500, deals: 200_000, samples: 500, httpSamples: 300 };

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!;
}

async function latencies(n: number, fn: (i: number) => Promise<unknown>): Promise<number[]> {
  for (let i = 0; i < 20; i++) await fn(i);
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    await fn(i);
    out.push(performance.now() - t);
  }
  return out.sort((a, b) => a - b);
}

/** What a ranking would cost without the cache: one raw SQLite pass over the history per partner. */
function rawScan(dataDir: string, vendorId: string): number {
  const sqlite = new SQLite(path.join(dataDir, databaseFileName), { readonly: true });
  const t = performance.now();
  const rows = sqlite
    .prepare(
      `select p.company_id, o.customer_segment, count(*) n, sum(o.status = 'won') won
       from opportunity_participants me join opportunities o on o.id = me.opportunity_id
       join opportunity_participants p on p.opportunity_id = o.id and p.company_id <> me.company_id
       where me.company_id = ? and o.status <> 'open' group by p.company_id, o.customer_segment`,
    )
    .all(vendorId);
  const ms = performance.now() - t;
  sqlite.close();
  if (rows.length === 0) throw new Error('the scan found no history');
  return ms;
}

/**
 * Ideal Deal Partner latency with 500 partners and 200,000 historical deals: in the service and
 * over tRPC/HTTP, with the company's cache warm, against the 50 ms target and against a raw
 * SQLite aggregate of the same history (what each ranking would pay without the cache). The cold
 * build (load history, fit weights) is reported apart: it runs once, then behind the answers.
 * Sizes left out of `options` are the full run's.
 */
export async function benchRecommend(options: Partial<RecommendSizes> = {}): Promise<Figure[]> {
  const { partners, deals, samples, httpSamples } = { ...fullSizes, ...options };
  const server = await startTestServer();
  try {
    const vendor = await server.company('vendor');
    const token = await vendor.memberToken('seller');
    const now = Date.now();
    const seeded = performance.now();
    seedHistory(server.dataDir, { vendorId: vendor.id, partners, deals, seed: 3, now });
    process.stderr.write(
      `bench: seeded ${deals} deals in ${Math.round(performance.now() - seeded)} ms\n`,
    );
    const scope = { companyId: vendor.id };
    const t = performance.now();
    const onLoop = await longestStall(() => buildInsights(server.deps, scope));
    const built = onLoop.result;
    const buildMs = performance.now() - t;
    // What a rebuild costs everyone else: the same build in the worker thread big companies use.
    const inWorker = await longestStall(() =>
      buildInWorker(server.deps.config, scope, server.deps.clock.now()),
    );
    process.stderr.write(
      `bench: cold build ${Math.round(buildMs)} ms (${built.model.trainingRows} training rows, ${built.model.source})\n`,
    );
    const actor = {
      companyId: vendor.id,
      kind: 'member' as const,
      id: 'bench',
      scopes: new Set(roleScopes.seller),
      token: { issuer: 'bench', jti: 'bench', expiresAt: 0 },
    };
    const draft = (i: number) => ({
      draft: {
        customer: { domain: `customer${i}.example`, segment: segments[i % 4]!, country: 'DE' },
        amountMinor: 5_000_000 + i,
        currency: 'USD',
        motion: 'co_sell' as const,
      },
      limit: 10,
    });
    await idealPartnersForDraft(server.deps, actor, draft(0)); // fills the cache
    const inProcess = await latencies(samples, (i) =>
      idealPartnersForDraft(server.deps, actor, draft(i)),
    );
    const api = server.client(token);
    const overHttp = await latencies(httpSamples, (i) =>
      api.idealPartners.forDraft.mutate(draft(i)),
    );
    const scans: number[] = [];
    for (let i = 0; i < 5; i++) scans.push(rawScan(server.dataDir, vendor.id));
    scans.sort((a, b) => a - b);
    const scan = percentile(scans, 0.5);
    return [
      figure(
        `ranking p50 (service, ${partners} partners, ${deals / 1000}k deals)`,
        percentile(inProcess, 0.5),
        'ms',
        'target 50 ms',
        50,
      ),
      figure('ranking p99 (service)', percentile(inProcess, 0.99), 'ms', 'target 50 ms', 50),
      figure('ranking p50 over tRPC/HTTP', percentile(overHttp, 0.5), 'ms', 'target 50 ms', 50),
      figure('ranking p99 over tRPC/HTTP', percentile(overHttp, 0.99), 'ms', 'target 50 ms', 50),
      figure(
        'ranking p99 (service)',
        percentile(inProcess, 0.99),
        'ms',
        'raw SQLite aggregate of the history',
        scan,
      ),
      figure(
        'cold build: load history and fit weights',
        buildMs,
        'ms',
        'raw SQLite aggregate of the history',
        scan,
      ),
      figure(
        'longest event-loop stall during a build in a worker thread',
        inWorker.stallMs,
        'ms',
        'the same build on the event loop',
        onLoop.stallMs,
      ),
    ];
  } finally {
    await server.stop();
  }
}

/** Runs `fn` and reports the longest time the event loop was held meanwhile. */
async function longestStall<T>(fn: () => Promise<T>): Promise<{ result: T; stallMs: number }> {
  const delay = monitorEventLoopDelay({ resolution: 5 });
  delay.enable();
  // The sampling timer measures from its first run, and records a stall when it runs next.
  await sleep(20);
  const result = await fn();
  await sleep(20);
  delay.disable();
  return { result, stallMs: delay.max / 1e6 };
}
