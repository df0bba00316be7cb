import { describe, expect, it } from 'vitest';
import { benchCliStart } from './cli-start.bench.ts';
import { benchExport } from './export.bench.ts';
import type { Figure } from './measure.ts';
import { benchRecommend } from './recommend.bench.ts';
import { benchSync } from './sync.bench.ts';
import { benchTokens } from './tokens.bench.ts';
import { benchTransparency } from './transparency.bench.ts';
import { benchUpserts } from './upserts.bench.ts';
import { benchWebhooks } from './webhooks.bench.ts';

/**
 * The suite returns exactly the figures named, each value, reference and ratio a finite positive
 * number. Memory growth over a tiny run is noise around zero (a collection can even shrink the
 * process), and a tiny build may not stall the event loop long enough to be sampled, so for those
 * only their being a finite number is checked.
 */
function expectFigures(figures: Figure[], names: string[]): void {
  expect(figures.map((f) => f.name)).toEqual(names);
  for (const f of figures) {
    const growth = f.name.includes('memory growth') || f.name.includes('event-loop stall');
    for (const n of growth ? [f.value] : [f.value, f.referenceValue, f.ratio]) {
      expect(Number.isFinite(n), `${f.name}: ${n}`).toBe(true);
      if (!growth) expect(n, f.name).toBeGreaterThan(0);
    }
  }
}

/** The upserts suite's figures for one store, in order. */
const upsertFigures = (prefix: string) =>
  [
    'floor: the bare handler writing the same rows, one deal per request',
    'REST read of one deal',
    'REST upsert, one per request (target ≥ 0.25)',
    'tRPC upsert, one per request (target ≥ 0.8)',
    'REST upsert, 100 per request (target ≥ 0.8)',
    'tRPC upsert, 100 per request',
    'server CPU per request: REST read',
    'server CPU per request: REST upsert, one',
    'server CPU per request: tRPC upsert, one',
    'server CPU per deal: REST upsert, 100 per request',
    'event-loop delay p99 under the REST single-upsert load (target ≤ 10 ms)',
    'REST upsert, one per request, against the floor above',
    'REST upsert latency p99, one per request',
  ].map((name) => `${prefix}${name}`);

// Tiny sizes: this checks that every suite still runs end to end, not what it measures;
// `npm run bench` runs them at full size and writes BENCHMARKS.md, which this never touches.
describe(
  'benchmarks (short runs; `npm run bench` runs them at full size)',
  { timeout: 180_000 },
  () => {
    it('measures token sign and verify against bare jose', async () => {
      expectFigures(await benchTokens({ ms: 100 }), [
        'access token sign (Tandem issuer)',
        'access token verify, first sight (every check and lookup)',
        'access token verify, repeat (verified-token cache)',
      ]);
    });

    it('measures the transparency log: intake against the upserts, proofs against bare SHA-256', async () => {
      expectFigures(await benchTransparency({ deals: 240, ms: 100 }), [
        '240 shared upserts, the log taking them in after each commit (median of 6 rounds)',
        "log intake of the log-off rounds' 240 events, alone",
        "intake still pending when each round's last upsert answered (total)",
        'inclusion proof, one at a time from the store (tree of 480)',
        'inclusion proofs, 500 per fetch (an export page)',
        'inclusion proof verify (8 hashes, @noble/hashes)',
      ]);
    });

    it('measures REST and tRPC reads and upserts on SQLite against a bare handler and the floors', async () => {
      // Two seconds, not one: autocannon's rate is the mean of per-second samples, and a single
      // second on a loaded machine may end before a cold 100-upsert batch does (a rate of 0).
      expectFigures(await benchUpserts({ seconds: 2, stores: ['sqlite'] }), [
        ...upsertFigures(''),
        'REST upsert, one per request, flushed inside the commit (TANDEM_SQLITE_FLUSH=in-commit)',
        'event-loop delay p99 under those upserts, flushed inside the commit',
      ]);
    });

    // The vitest global setup names a PostgreSQL (the machine's or an embedded one); run alone
    // without it, only this part is skipped, and says why. Four seconds: a cold 100-upsert batch
    // behind the write lock can outlast two per-second samples on a loaded machine.
    it.skipIf(!process.env.TANDEM_TEST_POSTGRES_URL)(
      'measures the same on PostgreSQL (needs TANDEM_TEST_POSTGRES_URL; skipped without)',
      async () => {
        expectFigures(
          await benchUpserts({
            seconds: 4,
            stores: ['postgres'],
            postgresUrl: process.env.TANDEM_TEST_POSTGRES_URL,
          }),
          upsertFigures('PostgreSQL: '),
        );
      },
    );

    it('measures the export and its offline verify against raw SQLite and node:crypto', async () => {
      expectFigures(await benchExport({ sizes: [1_000, 2_000] }), [
        'export of 1,000 sealed records',
        'export of 1,000 records: resident memory growth',
        'export of 2,000 sealed records',
        'export of 2,000 records: resident memory growth',
        'offline verify (2 signatures a record, canonical form, manifest)',
      ]);
    });

    it('measures webhook throughput and added latency against bare signed POSTs', async () => {
      expectFigures(await benchWebhooks({ deals: 20, samples: 5, postgresUrl: '' }), [
        'deliveries to a local receiver',
        'CPU per delivery (server and receiver, one process)',
        'commit → delivery, p50',
        'commit → delivery, p99',
      ]);
    });

    it('measures deal-room sync against @y/websocket-server', async () => {
      expectFigures(await benchSync({ edits: 10, fanOutRounds: 3, receivers: 5, rooms: 10 }), [
        'two-client update latency p50',
        'two-client update latency p99',
        "floor under two-client p50: the reference's + a bare durable commit's (1 row)",
        "floor under two-client p99: the reference's + a bare durable commit's (1 row)",
        'fan-out of one edit to 5 clients (all have it), p50',
        'fan-out of one edit to 5 clients (all have it), p99',
        '10 open rooms × 2 clients: server resident memory',
        '10 open rooms × 2 clients: memory growth per room',
        '10 open rooms: update latency p50',
        '10 open rooms: update latency p99',
      ]);
    });

    it('measures Ideal Deal Partner rankings against the target and a raw aggregate', async () => {
      expectFigures(
        await benchRecommend({ partners: 20, deals: 2_000, samples: 30, httpSamples: 20 }),
        [
          'ranking p50 (service, 20 partners, 2k deals)',
          'ranking p99 (service)',
          'ranking p50 over tRPC/HTTP',
          'ranking p99 over tRPC/HTTP',
          'ranking p99 (service)',
          'cold build: load history and fit weights',
          'longest event-loop stall during a build in a worker thread',
        ],
      );
    });

    it('times the CLI cold start against bare node', async () => {
      expectFigures(await benchCliStart({ runs: 1 }), [
        '`tandem --help`, compiled (median)',
        '`tandem partner --help` (a remote command), compiled (median)',
        '`tandem token --help` (loads the server), compiled (median)',
        '`tandem --help` from the sources through tsx (median)',
      ]);
    });
  },
);
