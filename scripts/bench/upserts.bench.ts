import { benchDealFields as fields } from './bench-deal.ts';
import { load, type LoadResult } from './load.ts';
import { figure, type Figure } from './measure.ts';
import { startProcess } from './processes.ts';
import { sqliteFloor } from './sqlite-floor.ts';
import { prepareWorld } from './tandem-world.ts';

const defaultSeconds = Number(process.env.BENCH_SECONDS ?? 5);

function check(name: string, r: LoadResult): LoadResult {
  if (r.non2xx > 0 || r.errors > 0)
    process.stderr.write(`bench: ${name}: ${r.non2xx} non-2xx answers, ${r.errors} errors\n`);
  return r;
}

/**
 * Authenticated, validated, ledgered, durable upserts (synchronous = FULL) through tRPC and REST,
 * one per request and 100 per request, each against a bare node:http JSON handler in the same run.
 * Server and load generator run in separate processes on 127.0.0.1. `seconds` is each load's length
 * (whole seconds: autocannon's rates are per-second samples).
 */
export async function benchUpserts({
  seconds = defaultSeconds,
}: { seconds?: number } = {}): Promise<Figure[]> {
  const base = { seconds, connections: 32 };
  const bare = await startProcess('scripts/bench/bare-server.ts', {});
  const reference = check(
    'bare',
    await load({
      ...base,
      url: `http://127.0.0.1:${bare.port}`,
      method: 'POST',
      headers: {},
      path: () => '/x',
      body: (i) => JSON.stringify({ externalRef: `B-${i}`, fields: fields('B', i) }),
    }),
  );
  await bare.stop();
  const floor = await sqliteFloor(seconds);

  // No write limit (the world's env): the benchmark is the flood a limit exists to stop.
  const world = await prepareWorld();
  try {
    const token = world.tokens.acme;
    const server = await startProcess('server/main.ts', { ...world.env, LOG_LEVEL: 'info' });
    const url = `http://127.0.0.1:${server.port}`;
    const auth = { authorization: `Bearer ${token}` };
    const batch = (prefix: string) => (i: number) =>
      JSON.stringify({
        items: Array.from({ length: 100 }, (_, k) => ({
          externalRef: `${prefix}-${i}-${k}`,
          fields: fields(prefix, i * 100 + k),
        })),
      });
    try {
      const trpcSingle = check(
        'tRPC single',
        await load({
          ...base,
          url,
          method: 'POST',
          headers: auth,
          path: () => '/trpc/opportunities.upsert',
          body: (i) => JSON.stringify({ externalRef: `T-${i}`, fields: fields('T', i) }),
        }),
      );
      const trpcBatch = check(
        'tRPC batch',
        await load({
          ...base,
          connections: 4,
          url,
          method: 'POST',
          headers: auth,
          path: () => '/trpc/opportunities.batchUpsert',
          body: batch('TB'),
        }),
      );
      const figures = [
        figure(
          'tRPC upsert, one per request',
          trpcSingle.requestsPerSecond,
          'upserts/s',
          'bare node:http JSON handler',
          reference.requestsPerSecond,
        ),
        figure(
          'tRPC upsert, 100 per request',
          trpcBatch.requestsPerSecond * 100,
          'upserts/s',
          'bare node:http JSON handler (requests/s)',
          reference.requestsPerSecond,
        ),
      ];
      const restSingle = check(
        'REST single',
        await load({
          ...base,
          url,
          method: 'PUT',
          headers: auth,
          path: (i) => `/api/v1/opportunities/by-ref/R-${i}`,
          body: (i) => JSON.stringify({ fields: fields('R', i) }),
        }),
      );
      const restBatch = check(
        'REST batch',
        await load({
          ...base,
          connections: 4,
          url,
          method: 'POST',
          headers: auth,
          path: () => '/api/v1/opportunities/batch',
          body: batch('RB'),
        }),
      );
      if (restSingle.non2xx === 0)
        figures.push(
          figure(
            'REST upsert, one per request',
            restSingle.requestsPerSecond,
            'upserts/s',
            'bare node:http JSON handler',
            reference.requestsPerSecond,
          ),
        );
      if (restBatch.non2xx === 0)
        figures.push(
          figure(
            'REST upsert, 100 per request',
            restBatch.requestsPerSecond * 100,
            'upserts/s',
            'bare node:http JSON handler (requests/s)',
            reference.requestsPerSecond,
          ),
        );
      if (restBatch.non2xx === 0)
        figures.push(
          figure(
            'REST upsert, 100 per request, against the SQLite floor',
            restBatch.requestsPerSecond * 100,
            'upserts/s',
            'the same rows through bare better-sqlite3, 100 deals a commit',
            floor,
          ),
        );
      figures.push(
        figure(
          'tRPC upsert latency p99, one per request',
          trpcSingle.p99ms,
          'ms',
          'bare handler p99',
          Math.max(reference.p99ms, 1),
        ),
      );
      return figures;
    } finally {
      await server.stop();
    }
  } finally {
    world.remove();
  }
}
