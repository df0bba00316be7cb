import { freshPostgres } from '../../test/kit/stores.ts';
import { benchDealFields as fields } from './bench-deal.ts';
import { load, type LoadResult } from './load.ts';
import { figure, type Figure } from './measure.ts';
import { postgresFloor } from './postgres-floor.ts';
import { startProcess } from './processes.ts';
import { sqliteFloor } from './sqlite-floor.ts';
import { prepareWorld } from './tandem-world.ts';

const defaultSeconds = Number(process.env.BENCH_SECONDS ?? 5);
/** The server's pool on PostgreSQL (TANDEM_DB_POOL's default), and so the floor's connections. */
const postgresPool = 10;

function check(name: string, r: LoadResult): LoadResult {
  if (r.non2xx > 0 || r.errors > 0)
    process.stderr.write(`bench: ${name}: ${r.non2xx} non-2xx answers, ${r.errors} errors\n`);
  return r;
}

type Store = 'sqlite' | 'postgres';
interface Loads {
  trpcSingle: LoadResult;
  trpcBatch: LoadResult;
  restSingle: LoadResult;
  restBatch: LoadResult;
}

/** The four upsert loads against a Tandem server started on `world`'s store. */
async function tandemLoads(
  world: Awaited<ReturnType<typeof prepareWorld>>,
  seconds: number,
): Promise<Loads> {
  const base = { seconds, connections: 32 };
  const server = await startProcess('server/main.ts', { ...world.env, LOG_LEVEL: 'info' });
  const url = `http://127.0.0.1:${server.port}`;
  const headers = { authorization: `Bearer ${world.tokens.acme}` };
  const batch = (prefix: string) => (i: number) =>
    JSON.stringify({
      items: Array.from({ length: 100 }, (_, k) => ({
        externalRef: `${prefix}-${i}-${k}`,
        fields: fields(prefix, i * 100 + k),
      })),
    });
  try {
    const single = { ...base, url, headers };
    const batched = { ...base, connections: 4, url, headers };
    return {
      trpcSingle: check(
        'tRPC single',
        await load({
          ...single,
          method: 'POST',
          path: () => '/trpc/opportunities.upsert',
          body: (i) => JSON.stringify({ externalRef: `T-${i}`, fields: fields('T', i) }),
        }),
      ),
      trpcBatch: check(
        'tRPC batch',
        await load({
          ...batched,
          method: 'POST',
          path: () => '/trpc/opportunities.batchUpsert',
          body: batch('TB'),
        }),
      ),
      restSingle: check(
        'REST single',
        await load({
          ...single,
          method: 'PUT',
          path: (i) => `/api/v1/opportunities/by-ref/R-${i}`,
          body: (i) => JSON.stringify({ fields: fields('R', i) }),
        }),
      ),
      restBatch: check(
        'REST batch',
        await load({
          ...batched,
          method: 'POST',
          path: () => '/api/v1/opportunities/batch',
          body: batch('RB'),
        }),
      ),
    };
  } finally {
    await server.stop();
  }
}

async function sqliteFigures(seconds: number, reference: LoadResult): Promise<Figure[]> {
  const floor = await sqliteFloor(seconds);
  // No write limit (the world's env): the benchmark is the flood a limit exists to stop.
  const world = await prepareWorld();
  let r: Loads;
  try {
    r = await tandemLoads(world, seconds);
  } finally {
    world.remove();
  }
  const bare = 'bare node:http JSON handler';
  const figures = [
    figure(
      'tRPC upsert, one per request',
      r.trpcSingle.requestsPerSecond,
      'upserts/s',
      bare,
      reference.requestsPerSecond,
    ),
    figure(
      'tRPC upsert, 100 per request',
      r.trpcBatch.requestsPerSecond * 100,
      'upserts/s',
      `${bare} (requests/s)`,
      reference.requestsPerSecond,
    ),
  ];
  // A REST figure is left out when its route answered non-2xx.
  if (r.restSingle.non2xx === 0)
    figures.push(
      figure(
        'REST upsert, one per request',
        r.restSingle.requestsPerSecond,
        'upserts/s',
        bare,
        reference.requestsPerSecond,
      ),
    );
  if (r.restBatch.non2xx === 0) {
    const rate = r.restBatch.requestsPerSecond * 100;
    figures.push(
      figure(
        'REST upsert, 100 per request',
        rate,
        'upserts/s',
        `${bare} (requests/s)`,
        reference.requestsPerSecond,
      ),
      figure(
        'REST upsert, 100 per request, against the SQLite floor',
        rate,
        'upserts/s',
        'the same rows through bare better-sqlite3, 100 deals a commit',
        floor,
      ),
    );
  }
  figures.push(
    figure(
      'tRPC upsert latency p99, one per request',
      r.trpcSingle.p99ms,
      'ms',
      'bare handler p99',
      Math.max(reference.p99ms, 1),
    ),
  );
  return figures;
}

/**
 * The same loads on PostgreSQL, on a fresh database of `baseUrl`'s server (dropped after), each
 * rate against the PostgreSQL floor measured on that database just before.
 */
async function postgresFigures(
  baseUrl: string,
  seconds: number,
  reference: LoadResult,
): Promise<Figure[]> {
  const database = await freshPostgres({ base: baseUrl, prefix: 'tandem_bench' });
  try {
    const world = await prepareWorld(undefined, {
      ...database.env,
      TANDEM_DB_POOL: String(postgresPool),
    });
    try {
      const floor = await postgresFloor(database.env.TANDEM_DATABASE_URL!, postgresPool, seconds);
      const r = await tandemLoads(world, seconds);
      const against = `the same rows through bare pg, 100 deals a commit, ${postgresPool} connections`;
      const figures = [
        figure(
          'PostgreSQL: tRPC upsert, one per request',
          r.trpcSingle.requestsPerSecond,
          'upserts/s',
          against,
          floor,
        ),
        figure(
          'PostgreSQL: tRPC upsert, 100 per request',
          r.trpcBatch.requestsPerSecond * 100,
          'upserts/s',
          against,
          floor,
        ),
      ];
      if (r.restSingle.non2xx === 0)
        figures.push(
          figure(
            'PostgreSQL: REST upsert, one per request',
            r.restSingle.requestsPerSecond,
            'upserts/s',
            against,
            floor,
          ),
        );
      if (r.restBatch.non2xx === 0)
        figures.push(
          figure(
            'PostgreSQL: REST upsert, 100 per request',
            r.restBatch.requestsPerSecond * 100,
            'upserts/s',
            against,
            floor,
          ),
        );
      figures.push(
        figure(
          'PostgreSQL: tRPC upsert latency p99, one per request',
          r.trpcSingle.p99ms,
          'ms',
          'bare handler p99',
          Math.max(reference.p99ms, 1),
        ),
      );
      return figures;
    } finally {
      world.remove();
    }
  } finally {
    await database.drop();
  }
}

/**
 * Authenticated, validated, ledgered, durable upserts through tRPC and REST, one per request and
 * 100 per request, on each store in `stores`: on SQLite (synchronous = FULL) against a bare
 * node:http JSON handler and the SQLite floor, on PostgreSQL (TANDEM_BENCH_POSTGRES_URL, or
 * `postgresUrl`) against the PostgreSQL floor, all measured in the same run. Server and load
 * generator run in separate processes on 127.0.0.1. `seconds` is each load's length (whole
 * seconds: autocannon's rates are per-second samples).
 */
export async function benchUpserts({
  seconds = defaultSeconds,
  stores = ['sqlite', 'postgres'],
  postgresUrl = process.env.TANDEM_BENCH_POSTGRES_URL,
}: { seconds?: number; stores?: Store[]; postgresUrl?: string } = {}): Promise<Figure[]> {
  if (stores.includes('postgres') && !postgresUrl)
    throw new Error(
      'the upserts benchmark measures PostgreSQL too and has none: set TANDEM_BENCH_POSTGRES_URL ' +
        'to a server it may create and drop databases on (postgres://user@127.0.0.1:5432/postgres)',
    );
  const bare = await startProcess('scripts/bench/bare-server.ts', {});
  let reference: LoadResult;
  try {
    reference = check(
      'bare',
      await load({
        seconds,
        connections: 32,
        url: `http://127.0.0.1:${bare.port}`,
        method: 'POST',
        headers: {},
        path: () => '/x',
        body: (i) => JSON.stringify({ externalRef: `B-${i}`, fields: fields('B', i) }),
      }),
    );
  } finally {
    await bare.stop();
  }
  const figures: Figure[] = [];
  if (stores.includes('sqlite')) figures.push(...(await sqliteFigures(seconds, reference)));
  if (stores.includes('postgres'))
    figures.push(...(await postgresFigures(postgresUrl!, seconds, reference)));
  return figures;
}
