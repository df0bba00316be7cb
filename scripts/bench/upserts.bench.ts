import path from 'node:path';
import { databaseFileName } from '../../server/store/sqlite/db.ts';
import { freshPostgres } from '../../test/kit/stores.ts';
import { benchDealFields as fields } from './bench-deal.ts';
import { load, type LoadResult } from './load.ts';
import { loopDelayProbe } from './loop-delay.ts';
import { figure, type Figure } from './measure.ts';
import { postgresFloor } from './postgres-floor.ts';
import { processCpuMs } from './process-cpu.ts';
import { startProcess } from './processes.ts';
import { sqliteFloor } from './sqlite-floor.ts';
import { call, prepareWorld, type World } from './tandem-world.ts';

const defaultSeconds = Number(process.env.BENCH_SECONDS ?? 5);
/** The server's pool on PostgreSQL (TANDEM_DB_POOL's default), and so the floor's connections. */
const postgresPool = 10;
/** The ceiling on the event-loop delay p99 under the single-upsert load. */
const loopDelayTargetMs = 10;

type Store = 'sqlite' | 'postgres';

/** A load's result with the server's CPU time per request (µs) over it. */
interface Measured extends LoadResult {
  cpuUsPerRequest: number;
}

function check(name: string, r: LoadResult): void {
  if (r.non2xx > 0 || r.errors > 0)
    process.stderr.write(`bench: ${name}: ${r.non2xx} non-2xx answers, ${r.errors} errors\n`);
}

/** `load` against the server `pid`, with the CPU that process spent on it. */
async function measured(
  name: string,
  pid: number,
  input: Parameters<typeof load>[0],
): Promise<Measured> {
  const before = processCpuMs(pid);
  const r = await load(input);
  const after = processCpuMs(pid);
  check(name, r);
  const requests = r.requestsPerSecond * input.seconds;
  const cpuUsPerRequest =
    before === undefined || after === undefined || requests === 0
      ? NaN
      : ((after - before) * 1000) / requests;
  return { ...r, cpuUsPerRequest };
}

const batchBody = (prefix: string) => (i: number) =>
  JSON.stringify({
    items: Array.from({ length: 100 }, (_, k) => ({
      externalRef: `${prefix}-${i}-${k}`,
      fields: fields(prefix, i * 100 + k),
    })),
  });

/**
 * A bare server (`entry`, its own process) under the single-upsert load's shape: bare-server.ts,
 * the node:http JSON handler, is what a request costs before auth, validation or storage;
 * bare-write-server.ts also writes a deal's rows durably on the store `env` names, the most a
 * single-upsert request could reach on this machine and store.
 */
async function bareLoad(entry: string, seconds: number, env: Record<string, string> = {}) {
  const server = await startProcess(entry, env);
  try {
    return await measured(entry, server.child.pid!, {
      seconds,
      connections: 32,
      url: `http://127.0.0.1:${server.port}`,
      method: 'POST',
      headers: {},
      path: () => '/x',
      body: (i) => JSON.stringify({ externalRef: `B-${i}`, fields: fields('B', i) }),
    });
  } finally {
    await server.stop();
  }
}

/** A Tandem server on `world`'s store (`env` added), its event-loop delay probed, for `fn`. */
async function onTandem<T>(
  world: World,
  seconds: number,
  env: Record<string, string>,
  fn: (server: {
    pid: number;
    url: string;
    single: Omit<Parameters<typeof load>[0], 'method' | 'path'>;
    loopDelay: () => Promise<{ p99ms: number }>;
  }) => Promise<T>,
): Promise<T> {
  const probe = loopDelayProbe();
  const server = await startProcess(
    'server/main.ts',
    { ...world.env, ...probe.env, LOG_LEVEL: 'info', ...env },
    probe.nodeArgs,
  );
  const pid = server.child.pid!;
  const url = `http://127.0.0.1:${server.port}`;
  const headers = { authorization: `Bearer ${world.tokens.acme}` };
  try {
    // Warm up (JIT, pool, statement caches) so the first load measured is not the cold one.
    await load({
      seconds: 2,
      connections: 32,
      url,
      headers,
      method: 'PUT',
      path: (i) => `/api/v1/opportunities/by-ref/WARM-${i}`,
      body: (i) => JSON.stringify({ fields: fields('WARM', i) }),
    });
    await probe.read(pid);
    return await fn({
      pid,
      url,
      single: { seconds, connections: 32, url, headers },
      loopDelay: () => probe.read(pid),
    });
  } finally {
    await server.stop();
    probe.remove();
  }
}

/** Single REST upserts, and the event-loop delay under them. */
async function singleUpserts(server: Parameters<Parameters<typeof onTandem>[3]>[0]) {
  const restSingle = await measured('REST single', server.pid, {
    ...server.single,
    method: 'PUT',
    path: (i) => `/api/v1/opportunities/by-ref/R-${i}`,
    body: (i) => JSON.stringify({ fields: fields('R', i) }),
  });
  return { restSingle, loopDelay: await server.loopDelay() };
}

/** The loads against one Tandem server on `world`'s store, and its event-loop delay under the single upserts. */
function tandemLoads(world: World, seconds: number) {
  return onTandem(world, seconds, {}, async (server) => {
    const { pid, url, single } = server;
    const batched = { ...single, connections: 4 };
    const { restSingle, loopDelay } = await singleUpserts(server);
    const page = await call<{ items: { id: string }[] }>(
      url,
      world.tokens.acme,
      'GET',
      '/api/v1/opportunities?limit=100',
    );
    const ids = page.items.map((d) => d.id);
    const restRead = await measured('REST read', pid, {
      ...single,
      method: 'GET',
      path: (i) => `/api/v1/opportunities/${ids[i % ids.length]}`,
    });
    const trpcSingle = await measured('tRPC single', pid, {
      ...single,
      method: 'POST',
      path: () => '/trpc/opportunities.upsert',
      body: (i) => JSON.stringify({ externalRef: `T-${i}`, fields: fields('T', i) }),
    });
    const restBatch = await measured('REST batch', pid, {
      ...batched,
      method: 'POST',
      path: () => '/api/v1/opportunities/batch',
      body: batchBody('RB'),
    });
    const trpcBatch = await measured('tRPC batch', pid, {
      ...batched,
      method: 'POST',
      path: () => '/trpc/opportunities.batchUpsert',
      body: batchBody('TB'),
    });
    return { restSingle, restRead, trpcSingle, restBatch, trpcBatch, loopDelay };
  });
}

/** The figures of one store: `floor` is its bare write rate (deals/s, 100 a commit), `floorName` says how. */
function storeFigures(
  prefix: string,
  r: Awaited<ReturnType<typeof tandemLoads>>,
  bare: Measured,
  bareWrites: Measured,
  floor: number,
  floorName: string,
): Figure[] {
  const bareName = 'bare node:http JSON handler';
  const bareCpu = `${bareName}, CPU per request`;
  const f = (name: string, value: number, unit: string, reference: string, refValue: number) =>
    figure(`${prefix}${name}`, value, unit, reference, refValue);
  return [
    f(
      'floor: the bare handler writing the same rows, one deal per request',
      bareWrites.requestsPerSecond,
      'upserts/s',
      bareName,
      bare.requestsPerSecond,
    ),
    f(
      'REST read of one deal',
      r.restRead.requestsPerSecond,
      'reads/s',
      bareName,
      bare.requestsPerSecond,
    ),
    f(
      'REST upsert, one per request (target ≥ 0.25)',
      r.restSingle.requestsPerSecond,
      'upserts/s',
      bareName,
      bare.requestsPerSecond,
    ),
    f(
      'tRPC upsert, one per request (target ≥ 0.8)',
      r.trpcSingle.requestsPerSecond,
      'upserts/s',
      'REST upsert, one per request',
      r.restSingle.requestsPerSecond,
    ),
    f(
      'REST upsert, 100 per request (target ≥ 0.8)',
      r.restBatch.requestsPerSecond * 100,
      'upserts/s',
      floorName,
      floor,
    ),
    f(
      'tRPC upsert, 100 per request',
      r.trpcBatch.requestsPerSecond * 100,
      'upserts/s',
      floorName,
      floor,
    ),
    f(
      'server CPU per request: REST read',
      r.restRead.cpuUsPerRequest,
      'µs',
      bareCpu,
      bare.cpuUsPerRequest,
    ),
    f(
      'server CPU per request: REST upsert, one',
      r.restSingle.cpuUsPerRequest,
      'µs',
      bareCpu,
      bare.cpuUsPerRequest,
    ),
    f(
      'server CPU per request: tRPC upsert, one',
      r.trpcSingle.cpuUsPerRequest,
      'µs',
      bareCpu,
      bare.cpuUsPerRequest,
    ),
    f(
      'server CPU per deal: REST upsert, 100 per request',
      r.restBatch.cpuUsPerRequest / 100,
      'µs',
      bareCpu,
      bare.cpuUsPerRequest,
    ),
    f(
      'event-loop delay p99 under the REST single-upsert load (target ≤ 10 ms)',
      r.loopDelay.p99ms,
      'ms',
      'target',
      loopDelayTargetMs,
    ),
    f(
      'REST upsert, one per request, against the floor above',
      r.restSingle.requestsPerSecond,
      'upserts/s',
      'floor: the bare handler writing the same rows',
      bareWrites.requestsPerSecond,
    ),
    f(
      'REST upsert latency p99, one per request',
      r.restSingle.p99ms,
      'ms',
      'bare handler p99',
      Math.max(bare.p99ms, 1),
    ),
  ];
}

async function sqliteFigures(seconds: number, bare: Measured): Promise<Figure[]> {
  const floor = await sqliteFloor(seconds);
  const floorWorld = await prepareWorld();
  let bareWrites: Measured;
  try {
    bareWrites = await bareLoad('scripts/bench/bare-write-server.ts', seconds, {
      BARE_SQLITE_FILE: path.join(floorWorld.dataDir, databaseFileName),
    });
  } finally {
    floorWorld.remove();
  }
  // No write limit (the world's env): the benchmark is the flood a limit exists to stop.
  const world = await prepareWorld();
  let r: Awaited<ReturnType<typeof tandemLoads>>;
  try {
    r = await tandemLoads(world, seconds);
  } finally {
    world.remove();
  }
  // The same single upserts with SQLite's own flush inside the commit, on the event loop.
  const inCommitWorld = await prepareWorld();
  let inCommit: Awaited<ReturnType<typeof singleUpserts>>;
  try {
    inCommit = await onTandem(
      inCommitWorld,
      seconds,
      { TANDEM_SQLITE_FLUSH: 'in-commit' },
      singleUpserts,
    );
  } finally {
    inCommitWorld.remove();
  }
  const threadPool = 'the same, flushed on the thread pool (the default)';
  return [
    ...storeFigures(
      '',
      r,
      bare,
      bareWrites,
      floor,
      'the same rows through bare better-sqlite3, 100 deals a commit',
    ),
    figure(
      'REST upsert, one per request, flushed inside the commit (TANDEM_SQLITE_FLUSH=in-commit)',
      inCommit.restSingle.requestsPerSecond,
      'upserts/s',
      threadPool,
      r.restSingle.requestsPerSecond,
    ),
    figure(
      'event-loop delay p99 under those upserts, flushed inside the commit',
      inCommit.loopDelay.p99ms,
      'ms',
      threadPool,
      r.loopDelay.p99ms,
    ),
  ];
}

/** The same on PostgreSQL, on a fresh database of `baseUrl`'s server (dropped after). */
async function postgresFigures(
  baseUrl: string,
  seconds: number,
  bare: Measured,
): Promise<Figure[]> {
  const database = await freshPostgres({ base: baseUrl, prefix: 'tandem_bench' });
  try {
    const world = await prepareWorld(undefined, {
      ...database.env,
      TANDEM_DB_POOL: String(postgresPool),
    });
    try {
      const floor = await postgresFloor(database.env.TANDEM_DATABASE_URL!, postgresPool, seconds);
      const bareWrites = await bareLoad('scripts/bench/bare-write-server.ts', seconds, {
        BARE_PG_URL: database.env.TANDEM_DATABASE_URL!,
      });
      const r = await tandemLoads(world, seconds);
      return storeFigures(
        'PostgreSQL: ',
        r,
        bare,
        bareWrites,
        floor,
        `the same rows through bare pg, 100 deals a commit, ${postgresPool} connections`,
      );
    } finally {
      world.remove();
    }
  } finally {
    await database.drop();
  }
}

/**
 * Authenticated, validated, ledgered, durable writes and reads through REST and tRPC, one per
 * request and 100 per request, on each store in `stores` (SQLite, its WAL flushed before any answer;
 * PostgreSQL at TANDEM_BENCH_POSTGRES_URL or `postgresUrl`): rates against a bare node:http JSON
 * handler, tRPC against REST, batches against the store's floor, each with the server's CPU per
 * request, and the event-loop delay under the single upserts, all measured in the same run.
 * Server and load generator run in separate processes on 127.0.0.1. `seconds` is each load's
 * length (whole seconds: autocannon's rates are per-second samples).
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
  const handler = await bareLoad('scripts/bench/bare-server.ts', seconds);
  const figures: Figure[] = [];
  if (stores.includes('sqlite')) figures.push(...(await sqliteFigures(seconds, handler)));
  if (stores.includes('postgres'))
    figures.push(...(await postgresFigures(postgresUrl!, seconds, handler)));
  return figures;
}
