import { notesText } from '../../shared/sync/deal-doc.ts';
import { sleep } from '../../test/kit/sleep.ts';
import { load } from '../bench/load.ts';
import { percentile } from '../bench/measure.ts';
import { startProcess } from '../bench/processes.ts';
import { RawRoomClient } from '../bench/room-client.ts';
import { createDeals, partner, prepareWorld, rssMb } from '../bench/tandem-world.ts';

export interface LoadOptions {
  seconds: number;
  clients: number;
  rooms: number;
  /** Each client edits once per this many ms (with jitter). */
  editEveryMs: number;
  restConnections: number;
}

export interface LoadReport {
  options: LoadOptions;
  edits: number;
  wsReceived: number;
  wsP50ms: number;
  wsP99ms: number;
  /** Connects that failed, sockets closed during the run, refusals, edits never received. */
  wsErrors: { connectFailed: number; closed: number; refused: number; notReceived: number };
  restRequests: number;
  restP99ms: number;
  restNon2xx: number;
  restErrors: number;
  rssStartMb: number;
  rssEndMb: number;
  rssAfterDisconnectMb: number;
}

interface Pending {
  marker: string;
  started: number;
  observer: RawRoomClient;
}

/**
 * `clients` WebSocket clients spread over `rooms` shared deals, each adding to the notes now and
 * then, while autocannon pushes REST upserts, for a fixed time, against the real server
 * (`server/main.ts`, product limits); edit latency is until the next member of the room has it.
 */
export async function loadRun(options: LoadOptions): Promise<LoadReport> {
  const world = await prepareWorld();
  const clients: RawRoomClient[] = [];
  let server: Awaited<ReturnType<typeof startProcess>> | undefined;
  try {
    server = await startProcess('server/main.ts', world.env);
    const url = `http://127.0.0.1:${server.port}`;
    await partner(url, world);
    const dealIds = await createDeals(url, world, {
      count: options.rooms,
      prefix: 'L',
      shared: true,
    });
    await sleep(1000);
    const rssStartMb = rssMb(server.child.pid!);

    const errors = { connectFailed: 0, closed: 0, refused: 0, notReceived: 0 };
    const rooms = dealIds.map(() => [] as RawRoomClient[]);
    const pending = new Map<RawRoomClient, Pending[]>();
    const latencies: number[] = [];
    let running = true;
    for (let from = 0; from < options.clients; from += 50) {
      await Promise.all(
        Array.from({ length: Math.min(50, options.clients - from) }, async (_, k) => {
          const i = from + k;
          const r = i % dealIds.length;
          const client = new RawRoomClient({
            baseUrl: `http://127.0.0.1:${server!.port}`,
            dealId: dealIds[r]!,
            token: i % 2 === 0 ? world.tokens.acme : world.tokens.globex,
          });
          try {
            await client.synced;
          } catch {
            errors.connectFailed++;
            return;
          }
          clients.push(client);
          rooms[r]!.push(client);
          pending.set(client, []);
          void client.closed.then(() => {
            if (running) errors.closed++;
          });
          client.doc.on('update', () => {
            const waiting = pending.get(client)!;
            if (waiting.length === 0) return;
            const text = notesText(client.doc).toString();
            const now = performance.now();
            pending.set(
              client,
              waiting.filter((p) => {
                if (!text.includes(p.marker)) return true;
                latencies.push(now - p.started);
                return false;
              }),
            );
          });
        }),
      );
    }

    let edits = 0;
    const until = Date.now() + options.seconds * 1000;
    const editors = rooms.flatMap((members) =>
      members.map(async (client, m) => {
        const observer = members[(m + 1) % members.length]!;
        await sleep(Math.random() * options.editEveryMs);
        for (let n = 0; Date.now() < until && client.closeCode === undefined; n++) {
          const marker = `[${clients.indexOf(client)}.${n}]`;
          if (observer !== client)
            pending.get(observer)!.push({ marker, started: performance.now(), observer });
          const text = notesText(client.doc);
          text.insert(text.length, marker);
          edits++;
          await sleep(options.editEveryMs * (0.5 + Math.random()));
        }
      }),
    );
    let i = 0;
    const rest = load({
      url,
      method: 'PUT',
      headers: { authorization: `Bearer ${world.tokens.acme}` },
      path: () => `/api/v1/opportunities/by-ref/P-${i++}`,
      body: (n) =>
        JSON.stringify({
          fields: {
            title: `Load ${n}`,
            customer: { name: `Customer ${n % 100}` },
            amountMinor: 1000 + n,
            currency: 'EUR',
          },
        }),
      seconds: options.seconds,
      connections: options.restConnections,
    });
    const [restResult] = await Promise.all([rest, ...editors]);
    await sleep(3000);
    const rssEndMb = rssMb(server.child.pid!);
    running = false;
    errors.notReceived = [...pending.values()].reduce((sum, list) => sum + list.length, 0);
    errors.refused = clients.reduce((sum, c) => sum + c.denied.length, 0);
    for (const c of clients.splice(0)) c.stop();
    await sleep(2000);
    const rssAfterDisconnectMb = rssMb(server.child.pid!);
    return {
      options,
      edits,
      wsReceived: latencies.length,
      wsP50ms: percentile(latencies, 50),
      wsP99ms: percentile(latencies, 99),
      wsErrors: errors,
      restRequests: Math.round(restResult.requestsPerSecond * options.seconds),
      restP99ms: restResult.p99ms,
      restNon2xx: restResult.non2xx,
      restErrors: restResult.errors,
      rssStartMb,
      rssEndMb,
      rssAfterDisconnectMb,
    };
  } finally {
    for (const c of clients) c.stop();
    if (server) await server.stop();
    world.remove();
  }
}
