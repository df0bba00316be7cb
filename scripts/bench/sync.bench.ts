import { fieldsMap } from '../../shared/sync/deal-doc.ts';
import { sleep } from '../../test/kit/sleep.ts';
import { freshPostgres } from '../../test/kit/stores.ts';
import { figure, percentile, type Figure } from './measure.ts';
import { startProcess } from './processes.ts';
import { RawRoomClient, seen, stockClient, type RoomAddress } from './room-client.ts';
import { postgresCommitLatencies, sqliteCommitLatencies } from './sync-floor.ts';
import { latencies } from './sync-latency.ts';
import { createDeals, partner, prepareWorld, rssMb, startTandem } from './tandem-world.ts';

/** How much each part of the run does; the defaults are the full run's. */
export interface SyncSizes {
  /** Edits timed in the two-client room and across the open rooms. */
  edits: number;
  fanOutRounds: number;
  /** Receivers of the fan-out room. */
  receivers: number;
  /** Open rooms, two light clients each. */
  rooms: number;
}

const fullSizes: SyncSizes = {
  edits: Number(process.env.BENCH_SYNC_EDITS ?? 200),
  fanOutRounds: Number(process.env.BENCH_SYNC_FANOUT_ROUNDS ?? 20),
  receivers: 100,
  rooms: Number(process.env.BENCH_SYNC_ROOMS ?? 1000),
};

/** One server under test: where its rooms are, and its process for memory readings. */
interface Target {
  pid: number;
  /** The address of room `i`; `side` picks the company (Tandem) — the reference ignores it. */
  room(i: number, side: 'a' | 'b'): RoomAddress;
}

interface SyncRun {
  twoClient: number[];
  fanOut: number[];
  roomsRssMb: number;
  roomsGrowthMb: number;
  roomsLatency: number[];
  /** Bare durable commits of one row on the same store, right after: the floor under an edit. */
  commits: number[];
}

async function inBatches<T>(items: T[], size: number, fn: (item: T) => Promise<void>) {
  for (let i = 0; i < items.length; i += size) await Promise.all(items.slice(i, i + size).map(fn));
}

async function run(
  target: Target,
  { edits, fanOutRounds, receivers: receiverCount, rooms: roomCount }: SyncSizes,
): Promise<SyncRun> {
  // Every stock provider adds a process 'exit' listener; 100 of them are expected here.
  process.setMaxListeners(250);
  // Two clients, one room.
  const a = stockClient(target.room(0, 'a'));
  const b = stockClient(target.room(0, 'b'));
  let twoClient: number[];
  try {
    await Promise.all([a.synced, b.synced]);
    await latencies(a, b, 20, 'warm');
    twoClient = await latencies(a, b, edits, 'two');
  } finally {
    a.stop();
    b.stop();
  }

  // One editor, many receivers in one room.
  const editor = stockClient(target.room(1, 'a'));
  const receivers = Array.from({ length: receiverCount }, () => stockClient(target.room(1, 'b')));
  const fanOut: number[] = [];
  try {
    await Promise.all([editor.synced, ...receivers.map((r) => r.synced)]);
    for (let round = -3; round < fanOutRounds; round++) {
      const value = `fan-${round}`;
      const arrivals = receivers.map((r) => seen(r.doc, 'nextStep', value));
      const started = performance.now();
      fieldsMap(editor.doc).set('nextStep', value);
      const last = Math.max(...(await Promise.all(arrivals)));
      if (round >= 0) fanOut.push(last - started);
    }
  } finally {
    editor.stop();
    for (const r of receivers) r.stop();
  }

  // Many rooms with two light clients each.
  const before = rssMb(target.pid);
  const pairs: [RawRoomClient, RawRoomClient][] = [];
  const roomsLatency: number[] = [];
  let roomsRssMb: number;
  try {
    await inBatches(
      Array.from({ length: roomCount }, (_, i) => i),
      50,
      async (i) => {
        const pair: [RawRoomClient, RawRoomClient] = [
          new RawRoomClient(target.room(2 + i, 'a')),
          new RawRoomClient(target.room(2 + i, 'b')),
        ];
        pairs.push(pair);
        await Promise.all(pair.map((c) => c.synced));
      },
    );
    for (let i = 0; i < edits; i++) {
      const [x, y] = pairs[(i * 7919) % pairs.length]!;
      roomsLatency.push(...(await latencies(x, y, 1, `room-${i}`)));
    }
    await sleep(500);
    roomsRssMb = rssMb(target.pid);
  } finally {
    for (const pair of pairs) for (const c of pair) c.stop();
  }
  return {
    twoClient,
    fanOut,
    roomsRssMb,
    roomsGrowthMb: roomsRssMb - before,
    roomsLatency,
    commits: [],
  };
}

async function runReference(sizes: SyncSizes): Promise<SyncRun> {
  const server = await startProcess('scripts/bench/y-reference-server.ts', {});
  try {
    return await run(
      {
        pid: server.child.pid!,
        room: (i) => ({ baseUrl: `http://127.0.0.1:${server.port}`, dealId: `room-${i}` }),
      },
      sizes,
    );
  } finally {
    await server.stop();
  }
}

/** `store`: the environment naming a fresh PostgreSQL database; SQLite without it. */
async function runTandem(sizes: SyncSizes, store: Record<string, string> = {}): Promise<SyncRun> {
  const world = await prepareWorld(undefined, store);
  try {
    // The product limits (50 a room, 500 a company, 30 updates/s) would refuse this crowd.
    const server = await startTandem(world, {
      SYNC_PER_ROOM: '200',
      SYNC_PER_COMPANY: '10000',
      SYNC_PER_SECOND: '100000',
      SYNC_BURST: '100000',
    });
    try {
      await partner(server.url, world);
      const shared = await createDeals(server.url, world, {
        count: 2,
        prefix: 'S',
        shared: true,
      });
      // The 1,000 rooms are acme's own deals, both clients acme's: rooms need a participant, not two companies.
      const own = await createDeals(server.url, world, {
        count: sizes.rooms,
        prefix: 'R',
        shared: false,
      });
      const dealIds = [...shared, ...own];
      return await run(
        {
          pid: server.child.pid!,
          room: (i, side) => ({
            baseUrl: `http://127.0.0.1:${server.port}`,
            dealId: dealIds[i]!,
            token: i < 2 && side === 'b' ? world.tokens.globex : world.tokens.acme,
          }),
        },
        sizes,
      );
    } finally {
      await server.stop();
    }
  } finally {
    world.remove();
  }
}

/** Tandem on a fresh PostgreSQL database of the server at `base`, dropped after. */
async function runTandemPostgres(sizes: SyncSizes, base: string): Promise<SyncRun> {
  const database = await freshPostgres({ base, prefix: 'tandem_bench' });
  try {
    const run = await runTandem(sizes, database.env);
    const url = database.env.TANDEM_DATABASE_URL!;
    return { ...run, commits: await postgresCommitLatencies(url, commitSamples) };
  } finally {
    await database.drop();
  }
}

const commitSamples = 200;

/** The figures of one Tandem run against the reference's; `prefix` names the store if not SQLite. */
function figures(tandem: SyncRun, ref: SyncRun, sizes: SyncSizes, prefix = ''): Figure[] {
  const { receivers, rooms: roomCount } = sizes;
  // In µs: the reference answers in a fraction of a millisecond, which whole ms would show as 0.
  const us = (values: number[], p: number) => percentile(values, p) * 1000;
  const reference = '@y/websocket-server 0.1.1';
  const rooms = `${prefix}${roomCount.toLocaleString('en')} open rooms`;
  // What no edit relayed only once durable can beat: the reference plus one bare commit.
  const floor = (p: number) =>
    figure(
      `${prefix}floor under two-client p${p}: the reference's + a bare durable commit's (1 row)`,
      us(ref.twoClient, p) + us(tandem.commits, p),
      'µs',
      reference,
      us(ref.twoClient, p),
    );
  return [
    figure(
      `${prefix}two-client update latency p50`,
      us(tandem.twoClient, 50),
      'µs',
      reference,
      us(ref.twoClient, 50),
    ),
    figure(
      `${prefix}two-client update latency p99`,
      us(tandem.twoClient, 99),
      'µs',
      reference,
      us(ref.twoClient, 99),
    ),
    floor(50),
    floor(99),
    figure(
      `${prefix}fan-out of one edit to ${receivers} clients (all have it), p50`,
      us(tandem.fanOut, 50),
      'µs',
      reference,
      us(ref.fanOut, 50),
    ),
    figure(
      `${prefix}fan-out of one edit to ${receivers} clients (all have it), p99`,
      us(tandem.fanOut, 99),
      'µs',
      reference,
      us(ref.fanOut, 99),
    ),
    figure(
      `${rooms} × 2 clients: server resident memory`,
      tandem.roomsRssMb,
      'MB',
      reference,
      ref.roomsRssMb,
    ),
    figure(
      `${rooms} × 2 clients: memory growth per room`,
      (tandem.roomsGrowthMb * 1024) / roomCount,
      'KB',
      reference,
      (ref.roomsGrowthMb * 1024) / roomCount,
    ),
    figure(
      `${rooms}: update latency p50`,
      us(tandem.roomsLatency, 50),
      'µs',
      reference,
      us(ref.roomsLatency, 50),
    ),
    figure(
      `${rooms}: update latency p99`,
      us(tandem.roomsLatency, 99),
      'µs',
      reference,
      us(ref.roomsLatency, 99),
    ),
  ];
}

/**
 * Deal-room sync through the real Tandem server (token checked at upgrade, every update checked,
 * ledgered and committed with synchronous = FULL before anyone sees it) against
 * @y/websocket-server 0.1.1's in-memory handler in the same run, both in their own process, both
 * driven by the stock y-websocket provider (raw y-protocols clients for the 2,000 members of the
 * 1,000 rooms). Sizes left out of `options` are the full run's. With `postgresUrl` (a server it
 * may create and drop databases on) Tandem runs again on a fresh PostgreSQL database
 * (synchronous_commit = on), its figures prefixed "PostgreSQL: ", against the same reference run.
 */
export async function benchSync(
  options: Partial<SyncSizes> = {},
  postgresUrl = process.env.TANDEM_BENCH_POSTGRES_URL,
): Promise<Figure[]> {
  const sizes = { ...fullSizes, ...options };
  const ref = await runReference(sizes);
  const sqlite = { ...(await runTandem(sizes)), commits: sqliteCommitLatencies(commitSamples) };
  if (!postgresUrl) return figures(sqlite, ref, sizes);
  const postgres = await runTandemPostgres(sizes, postgresUrl);
  return [...figures(sqlite, ref, sizes), ...figures(postgres, ref, sizes, 'PostgreSQL: ')];
}
