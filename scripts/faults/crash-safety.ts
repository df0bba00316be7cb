import path from 'node:path';
import SQLite from 'better-sqlite3';
import { databaseFileName } from '../../server/store/sqlite/db.ts';
import { seededRandom } from '../../shared/random/seeded-random.ts';
import { notesText } from '../../shared/sync/deal-doc.ts';
import { sleep } from '../../test/kit/sleep.ts';
import { startProcess } from '../bench/processes.ts';
import { RawRoomClient } from '../bench/room-client.ts';
import {
  createDeals,
  partner,
  prepareWorld,
  tandemCli,
  type World,
} from '../bench/tandem-world.ts';

export interface CrashOptions {
  kills: number;
  /** Each life's storm runs this long at least before the kill, plus a random part. */
  minLifeMs: number;
  maxLifeMs: number;
  restWriters: number;
  rooms: number;
  /** Edits per second per room (the product limit is 30 per connection). */
  editsPerSecond: number;
  seed: number;
}

export interface CrashReport {
  kills: number;
  restAcknowledged: number;
  restLost: string[];
  wsAcknowledged: number;
  wsLost: string[];
  /** Unacknowledged writes found anyway (they committed; the answer died with the process). */
  restUnacknowledgedPresent: number;
  ledgerVerify: { ok: boolean; output: string };
}

type Server = Awaited<ReturnType<typeof startProcess>>;
const start = (world: World) => startProcess('server/main.ts', world.env);

/** One life of the server: REST upserts and room edits until the process is killed. */
async function storm(
  server: Server,
  world: World,
  input: { life: number; dealIds: string[]; until: Promise<void>; options: CrashOptions },
  acked: { rest: Map<string, number>; ws: Set<string>; sent: Set<string> },
): Promise<void> {
  const url = `http://127.0.0.1:${server.port}`;
  let stopped = false;
  void input.until.then(() => (stopped = true));

  const rest = Array.from({ length: input.options.restWriters }, async (_, w) => {
    for (let n = 0; !stopped; n++) {
      const ref = `K-${input.life}-${w}-${n}`;
      const amountMinor = 1000 + input.life * 100_000 + n;
      acked.sent.add(ref);
      try {
        const res = await fetch(`${url}/api/v1/opportunities/by-ref/${ref}`, {
          method: 'PUT',
          headers: {
            authorization: `Bearer ${world.tokens.acme}`,
            'content-type': 'application/json',
          },
          body: JSON.stringify({
            fields: { title: ref, customer: { name: 'Crash Co' }, amountMinor, currency: 'EUR' },
          }),
        });
        await res.arrayBuffer();
        if (res.ok) acked.rest.set(ref, amountMinor);
      } catch {
        return; // the server is gone: this write was never acknowledged
      }
    }
  });

  const ws = input.dealIds.map(async (dealId, r) => {
    const baseUrl = `http://127.0.0.1:${server.port}`;
    const editor = new RawRoomClient({ baseUrl, dealId, token: world.tokens.acme });
    const observer = new RawRoomClient({ baseUrl, dealId, token: world.tokens.globex });
    const pending = new Set<string>();
    // Acknowledged: another client received it, which the server allows only after the commit.
    observer.doc.on('update', () => {
      const text = notesText(observer.doc).toString();
      for (const marker of pending) {
        if (text.includes(marker)) {
          pending.delete(marker);
          acked.ws.add(`${dealId} ${marker}`);
        }
      }
    });
    try {
      await Promise.all([editor.synced, observer.synced]);
      for (let n = 0; !stopped; n++) {
        const marker = `|${input.life}.${r}.${n}|`;
        pending.add(marker);
        const text = notesText(editor.doc);
        text.insert(text.length, marker);
        await sleep(1000 / input.options.editsPerSecond);
      }
    } catch {
      // killed before the room synced
    } finally {
      await input.until;
      editor.stop();
      observer.stop();
    }
  });
  await Promise.all([...rest, ...ws]);
}

/**
 * A push storm over REST (upserts) and WebSocket (room edits) while the server is killed with
 * SIGKILL at random moments and restarted on the same data directory; then every acknowledged
 * write must be there (REST: a 2xx answer; WS: another client received it) and the ledger must verify.
 */
export async function crashSafety(options: CrashOptions): Promise<CrashReport> {
  const random = seededRandom(options.seed);
  const world = await prepareWorld();
  const acked = { rest: new Map<string, number>(), ws: new Set<string>(), sent: new Set<string>() };
  let server: Server | undefined;
  try {
    server = await start(world);
    const url = `http://127.0.0.1:${server.port}`;
    await partner(url, world);
    const dealIds = await createDeals(url, world, {
      count: options.rooms,
      prefix: 'C',
      shared: true,
    });
    for (let life = 0; life < options.kills; life++) {
      const lifeMs = options.minLifeMs + random.next() * (options.maxLifeMs - options.minLifeMs);
      const killed = sleep(lifeMs).then(async () => {
        const exited = new Promise((r) => server!.child.once('exit', r));
        server!.child.kill('SIGKILL');
        await exited;
      });
      await storm(server, world, { life, dealIds, until: killed, options }, acked);
      server = await start(world);
    }

    // What survived: the tables for REST, the document (and its projection) for room edits.
    const final = new Map<string, string>();
    for (const dealId of dealIds) {
      const client = new RawRoomClient({
        baseUrl: `http://127.0.0.1:${server.port}`,
        dealId,
        token: world.tokens.globex,
      });
      await client.synced;
      final.set(dealId, notesText(client.doc).toString());
      client.stop();
    }
    const stopped = server;
    server = undefined;
    await stopped.stop();

    const sqlite = new SQLite(path.join(world.dataDir, databaseFileName), { readonly: true });
    const rows = sqlite
      .prepare(
        `select r.external_ref as ref, o.amount_minor as amount from opportunity_refs r
         join opportunities o on o.id = r.opportunity_id where r.external_ref like 'K-%'`,
      )
      .all() as { ref: string; amount: number }[];
    const projected = new Map(
      (
        sqlite
          .prepare(`select id, notes from opportunities where id in (${dealIds.map(() => '?')})`)
          .all(...dealIds) as { id: string; notes: string }[]
      ).map((r) => [r.id, r.notes]),
    );
    sqlite.close();
    const stored = new Map(rows.map((r) => [r.ref, r.amount]));
    const restLost = [...acked.rest].filter(([ref, amount]) => stored.get(ref) !== amount);
    const wsLost = [...acked.ws].filter((entry) => {
      const [dealId, marker] = entry.split(' ') as [string, string];
      return !final.get(dealId)?.includes(marker) || !projected.get(dealId)?.includes(marker);
    });
    let ledgerVerify: CrashReport['ledgerVerify'];
    try {
      ledgerVerify = { ok: true, output: tandemCli(['ledger', 'verify'], world.env) };
    } catch (error) {
      ledgerVerify = { ok: false, output: (error as Error).message };
    }
    return {
      kills: options.kills,
      restAcknowledged: acked.rest.size,
      restLost: restLost.map(([ref]) => ref),
      wsAcknowledged: acked.ws.size,
      wsLost,
      restUnacknowledgedPresent: [...stored.keys()].filter((ref) => !acked.rest.has(ref)).length,
      ledgerVerify,
    };
  } finally {
    if (server) server.child.kill('SIGKILL');
    world.remove();
  }
}
