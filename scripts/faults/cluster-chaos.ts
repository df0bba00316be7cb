import fs from 'node:fs';
import pg from 'pg';
import { createTandemClient } from '../../client/sdk/tandem-client.ts';
import { seededRandom } from '../../shared/random/seeded-random.ts';
import { notesText } from '../../shared/sync/deal-doc.ts';
import { freshPostgres } from '../../test/kit/stores.ts';
import { sleep } from '../../test/kit/sleep.ts';
import { startReceiver } from '../../test/kit/webhook-receiver.ts';
import { freePort } from '../bench/processes.ts';
import { createDeals, partner, prepareWorld, tandemCli } from '../bench/tandem-world.ts';
import { startInstance, type Instance } from '../cluster/instance.ts';
import { startProxy } from '../cluster/proxy.ts';
import {
  edit,
  restWriter,
  roomEditor,
  snapshot,
  type RestTally,
  type RoomEditor,
  type StormState,
} from './cluster-storm.ts';

export interface ClusterChaosOptions {
  /** A PostgreSQL server this run may create (and afterwards drop) a database on. */
  postgresUrl: string;
  instances: number;
  kills: number;
  /** How long a killed instance stays down before it is started again. */
  downMs: number;
  /** Pause between a restart and the next kill: a random value in this range. */
  betweenMs: [number, number];
  rooms: number;
  restWritersPerCompany: number;
  editEveryMs: number;
  seed: number;
}

export interface ClusterChaosReport {
  kills: number;
  restAcknowledged: number;
  restLost: string[];
  restRetries: number;
  restGaveUp: number;
  roomEdits: number;
  /** Typed markers the partner company's client received, missing from the stored document. */
  roomAckedLost: string[];
  /** Typed markers missing from the stored document (acknowledged or not). */
  roomEditsMissing: number;
  /** Rooms where every storm client's document equals the stored one. */
  roomsConverged: number;
  /** Rooms where every instance serves the stored document to a fresh client. */
  roomsServedAlike: number;
  reconnects: number;
  reconnectP50Ms: number;
  reconnectP99Ms: number;
  reconnectMaxMs: number;
  webhookExpected: number;
  webhookLost: number;
  webhookDuplicates: number;
  ledgerVerify: { ok: boolean; output: string };
}

const quantile = (values: number[], q: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted.length === 0
    ? 0
    : sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]!;
};

async function until(check: () => boolean | Promise<boolean>, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (await check()) return true;
    await sleep(200);
  }
  return check();
}

/** The stored document of each room, as a fresh client of the given server gets it. */
async function served(url: string, token: string, dealIds: string[]) {
  const out = new Map<string, ReturnType<typeof snapshot>>();
  for (const dealId of dealIds) {
    const fresh = roomEditor({ url, dealId, token, name: 'fresh' });
    const late = sleep(10_000).then(() => {
      throw new Error(`${url} did not sync room ${dealId} in 10 s`);
    });
    await Promise.race([fresh.room.synced, late]);
    out.set(dealId, snapshot(fresh.room.doc));
    fresh.room.leave();
  }
  return out;
}

/**
 * Three (or `instances`) servers on one fresh PostgreSQL database behind the cluster proxy, a REST
 * and deal-room storm from two companies through it, and a random instance SIGKILLed `kills`
 * times (restarted on its port after `downMs`). Afterwards: every acknowledged REST write must be
 * stored, every room must have converged (each client's document equal to the stored one, and
 * every instance serving that document), the ledger must verify, and the webhook receiver of one
 * company must have every event (duplicates allowed, counted).
 */
export async function clusterChaos(options: ClusterChaosOptions): Promise<ClusterChaosReport> {
  const random = seededRandom(options.seed);
  const store = await freshPostgres({ base: options.postgresUrl, prefix: 'tandem_chaos' });
  const world = await prepareWorld(undefined, store.env);
  const env = {
    ...world.env,
    TANDEM_WEBHOOKS_ALLOW_PRIVATE: '1',
    TANDEM_WEBHOOKS_RETRY_BASE_MS: '200',
    TANDEM_WEBHOOKS_RETRY_MAX_MS: '1000',
  };
  const ports = await Promise.all(Array.from({ length: options.instances }, () => freePort()));
  const instances: (Instance | undefined)[] = [];
  const start = (port: number) => startInstance({ port, env, entry: 'sources' });
  const receiver = await startReceiver();
  let proxy: Awaited<ReturnType<typeof startProxy>> | undefined;
  const editors: RoomEditor[] = [];
  // Each stock provider listens for the process's exit; this run holds more than Node's default 10.
  process.setMaxListeners(Math.max(process.getMaxListeners(), 4 * options.rooms + 20));
  try {
    for (const port of ports) instances.push(await start(port));
    proxy = await startProxy({ port: 0, host: '127.0.0.1', targets: ports });
    const url = `http://127.0.0.1:${proxy.port}`;
    await partner(url, world);
    const dealIds = await createDeals(url, world, {
      count: options.rooms,
      prefix: 'R',
      shared: true,
    });
    const acme = createTandemClient({ url, token: world.tokens.acme });
    const endpoint = await acme.webhooks.create.mutate({ url: receiver.url });

    // The storm: both companies write over REST and type in every room, all through the proxy.
    const state: StormState = { stopped: false };
    const tally: RestTally = { acked: new Map(), retries: 0, gaveUp: 0 };
    const writers = (['acme', 'globex'] as const).flatMap((company) =>
      Array.from({ length: options.restWritersPerCompany }, (_, w) =>
        restWriter(
          { url, token: world.tokens[company], prefix: `X-${company}-${w}` },
          state,
          tally,
        ),
      ),
    );
    for (const dealId of dealIds)
      for (const company of ['acme', 'globex'] as const)
        editors.push(
          roomEditor({
            url,
            dealId,
            token: world.tokens[company],
            name: `${company}${editors.length}`,
          }),
        );
    const typing = editors.map((e) => edit(e, options.editEveryMs, state));

    for (let k = 0; k < options.kills; k++) {
      const [min, max] = options.betweenMs;
      await sleep(min + random.next() * (max - min));
      const victim = random.int(0, options.instances - 1);
      await instances[victim]!.stop('SIGKILL');
      instances[victim] = undefined;
      await sleep(options.downMs);
      instances[victim] = await start(ports[victim]!);
      process.stderr.write(
        `faults: cluster: kill ${k + 1}/${options.kills} (instance ${victim + 1})\n`,
      );
    }
    await sleep(options.betweenMs[0]);
    state.stopped = true;
    await Promise.all([...writers, ...typing]);

    // Quiet: every client back and synced, then a moment for the last updates to travel.
    await until(() => editors.every((e) => e.synced()), 15_000);
    await sleep(2000);
    const clientDocs = editors.map((e) => ({
      editor: e,
      snap: snapshot(e.room.doc),
      notes: notesText(e.room.doc).toString(),
    }));
    const perInstance = await Promise.all(
      ports.map((port) => served(`http://127.0.0.1:${port}`, world.tokens.acme, dealIds)),
    );
    for (const e of editors.splice(0)) e.room.leave();

    // The stored document: every instance drained and stopped, one started on the database alone.
    await Promise.all(instances.map((i) => i?.stop('SIGTERM')));
    instances.fill(undefined);
    instances[0] = await start(ports[0]!);
    const single = `http://127.0.0.1:${ports[0]}`;
    const stored = await served(single, world.tokens.acme, dealIds);

    let roomsConverged = 0;
    let roomsServedAlike = 0;
    const roomAckedLost: string[] = [];
    let roomEditsMissing = 0;
    for (const dealId of dealIds) {
      const truth = stored.get(dealId)!;
      const inRoom = clientDocs.filter((c) => c.editor.dealId === dealId);
      const same = (s: ReturnType<typeof snapshot>) =>
        s.content === truth.content && s.stateVector === truth.stateVector;
      if (inRoom.every((c) => same(c.snap))) roomsConverged++;
      if (perInstance.every((m) => same(m.get(dealId)!))) roomsServedAlike++;
      const storedNotes = JSON.parse(truth.content).notes as string;
      for (const { editor } of inRoom) {
        // Acknowledged: the other company's client has it, which it can only get from a server.
        const partnerNotes = inRoom.filter((c) => c.editor !== editor).map((c) => c.notes);
        for (const marker of editor.typed) {
          if (storedNotes.includes(marker)) continue;
          roomEditsMissing++;
          if (partnerNotes.some((n) => n.includes(marker)))
            roomAckedLost.push(`${dealId} ${marker}`);
        }
      }
    }

    // REST: every acknowledged upsert stored with the amount it wrote.
    const db = new pg.Client(store.env.TANDEM_DATABASE_URL);
    await db.connect();
    const rows = await db.query<{ ref: string; amount: string }>(
      `select r.external_ref as ref, o.amount_minor as amount from opportunity_refs r
       join opportunities o on o.id = r.opportunity_id where r.external_ref like 'X-%'`,
    );
    await db.end();
    const storedRest = new Map(rows.rows.map((r) => [r.ref, Number(r.amount)]));
    const restLost = [...tally.acked].filter(([ref, amount]) => storedRest.get(ref) !== amount);

    // Webhooks: every event of acme's feed since the endpoint was made, acknowledged at least once.
    const client = createTandemClient({ url: single, token: world.tokens.acme });
    const feedIds = async () => {
      const ids: string[] = [];
      for (let after = endpoint.cursor; ;) {
        const page = await client.ledger.feed.query({ after, limit: 1000 });
        ids.push(...page.events.map((e) => e.id));
        if (page.events.length === 0) return ids;
        after = page.nextCursor;
      }
    };
    const ackedIds = () => new Set(receiver.acknowledged().map((r) => r.body.id));
    let expected = await feedIds();
    await until(async () => {
      expected = await feedIds();
      const got = ackedIds();
      return expected.every((id) => got.has(id));
    }, 30_000);
    const got = ackedIds();
    const webhookDuplicates = receiver.acknowledged().length - got.size;

    await instances[0]!.stop('SIGTERM');
    instances[0] = undefined;
    let ledgerVerify: ClusterChaosReport['ledgerVerify'];
    try {
      ledgerVerify = { ok: true, output: tandemCli(['ledger', 'verify'], world.env) };
    } catch (error) {
      ledgerVerify = { ok: false, output: (error as Error).message };
    }
    const reconnects = clientDocs.flatMap((c) => c.editor.reconnectMs);
    return {
      kills: options.kills,
      restAcknowledged: tally.acked.size,
      restLost: restLost.map(([ref]) => ref),
      restRetries: tally.retries,
      restGaveUp: tally.gaveUp,
      roomEdits: clientDocs.reduce((n, c) => n + c.editor.typed.length, 0),
      roomAckedLost,
      roomEditsMissing,
      roomsConverged,
      roomsServedAlike,
      reconnects: reconnects.length,
      reconnectP50Ms: quantile(reconnects, 0.5),
      reconnectP99Ms: quantile(reconnects, 0.99),
      reconnectMaxMs: Math.max(0, ...reconnects),
      webhookExpected: expected.length,
      webhookLost: expected.filter((id) => !got.has(id)).length,
      webhookDuplicates,
      ledgerVerify,
    };
  } finally {
    for (const e of editors) e.room.leave();
    await Promise.all(instances.map((i) => i?.stop('SIGKILL')));
    await proxy?.close();
    await receiver.close();
    await store.drop();
    fs.rmSync(world.dataDir, { recursive: true, force: true });
  }
}
