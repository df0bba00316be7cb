import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { CompactSign, generateKeyPair } from 'jose';
import { partnerPair } from '../../test/kit/fixtures.ts';
import { startTestServer } from '../../test/kit/harness.ts';
import { freshPostgres } from '../../test/kit/stores.ts';
import { figure, percentile, type Figure } from './measure.ts';

const defaultDeals = Number(process.env.BENCH_WEBHOOK_DEALS ?? 1000);
const defaultSamples = Number(process.env.BENCH_WEBHOOK_SAMPLES ?? 100);

/** A receiver on 127.0.0.1 that answers 200 and notes when each event id arrived. */
async function receiver() {
  const arrived = new Map<string, number>();
  let waiter: { n: number; resolve: () => void } | undefined;
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const { id } = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { id: string };
      if (!arrived.has(id)) arrived.set(id, performance.now());
      res.writeHead(200, { 'content-length': '2' });
      res.end('ok');
      if (waiter && arrived.size >= waiter.n) waiter.resolve();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`,
    arrived,
    /** Resolves once `n` distinct ids have arrived. */
    until: (n: number) =>
      new Promise<void>((resolve) => {
        if (arrived.size >= n) resolve();
        else waiter = { n, resolve };
      }),
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

/** CPU time (user + system, ms) this process has used so far. */
function cpuMs(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
}

/** The reference: a bare loop signing each body (jose, EdDSA) and POSTing it to the same receiver. */
async function signedPosts(
  url: string,
  n: number,
  concurrency: number,
  onDone?: (ms: number) => void,
) {
  const { privateKey } = await generateKeyPair('EdDSA', { crv: 'Ed25519' });
  const agent = new http.Agent({ keepAlive: true });
  let next = 0;
  const post = async (i: number) => {
    const started = performance.now();
    const body = JSON.stringify({ id: `ref_${i}_${Math.random()}`, cursor: i, type: 'bench' });
    const jws = await new CompactSign(new TextEncoder().encode(body))
      .setProtectedHeader({ alg: 'EdDSA' })
      .sign(privateKey);
    await new Promise<void>((resolve, reject) => {
      const req = http.request(url, {
        method: 'POST',
        agent,
        headers: { 'content-type': 'application/json', 'tandem-signature': jws },
      });
      req.on('response', (res) => res.resume().on('end', () => resolve()));
      req.on('error', reject);
      req.end(body);
    });
    onDone?.(performance.now() - started);
  };
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < n) await post(next++);
    }),
  );
  agent.destroy();
}

/**
 * Webhook deliveries to a receiver on loopback: throughput (a batch of deals committed at once,
 * until the last of its events is acknowledged), the CPU each delivery costs (server and
 * receiver share this process, as they do in the reference) and the latency a delivery adds
 * after the commit (a write answered, until its event reaches the receiver), each against a bare
 * loop of signed POSTs to the same receiver in the same process. On SQLite, and again on a fresh
 * database of TANDEM_BENCH_POSTGRES_URL's server when it is set. `deals` is the batch's size,
 * `samples` the number of latency writes.
 */
export async function benchWebhooks({
  deals = defaultDeals,
  samples = defaultSamples,
  postgresUrl = process.env.TANDEM_BENCH_POSTGRES_URL,
}: { deals?: number; samples?: number; postgresUrl?: string } = {}): Promise<Figure[]> {
  const figures = await storeFigures('', {}, deals, samples);
  if (!postgresUrl) return figures;
  const database = await freshPostgres({ base: postgresUrl, prefix: 'tandem_bench' });
  try {
    return [...figures, ...(await storeFigures('PostgreSQL: ', database.env, deals, samples))];
  } finally {
    await database.drop();
  }
}

/** The figures on one store (`env` picks it), each name prefixed with `label`. */
async function storeFigures(
  label: string,
  env: Record<string, string>,
  deals: number,
  samples: number,
): Promise<Figure[]> {
  const server = await startTestServer({
    env: {
      ...env,
      TANDEM_WEBHOOKS_ALLOW_PRIVATE: '1',
      TANDEM_WEBHOOKS_CONCURRENCY: process.env.TANDEM_WEBHOOKS_CONCURRENCY ?? '4',
    },
  });
  const r = await receiver();
  try {
    const { a } = await partnerPair(server);
    const concurrency = server.deps.config.webhooks.concurrency;
    await a.webhooks.create.mutate({ url: r.url });

    // Throughput: one batch of deals, committed together; every event counts. A batch of the
    // same size and a reference loop first, so neither side is timed while the JIT warms up
    // (a fifth as much left the deliveries' CPU a third higher).
    const feedSize = async () => {
      let size = 0;
      for (let after: string | undefined, n = 1000; n === 1000;) {
        const page = await a.ledger.feed.query({ ...(after ? { after } : {}), limit: 1000 });
        size += n = page.events.length;
        after = page.nextCursor;
      }
      return size;
    };
    const commitDeals = (prefix: string, n: number) =>
      a.opportunities.batchUpsert.mutate({
        items: Array.from({ length: n }, (_, i) => ({
          externalRef: `${prefix}-${i}`,
          fields: {
            title: `Deal ${i}`,
            customer: { name: `C${i}` },
            amountMinor: 100,
            currency: 'EUR',
          },
        })),
      });
    const warmUp = deals;
    const feedBefore = await feedSize();
    await commitDeals('warm-up', warmUp);
    const feedWarm = await feedSize();
    await r.until(feedWarm);
    await signedPosts(r.url, warmUp, concurrency);
    // Known from the warm-up, so the feed is not paged (by this process) while deliveries run.
    const total = ((feedWarm - feedBefore) / warmUp) * deals;
    const arrivedBefore = r.arrived.size;
    await commitDeals('bench', deals);
    const committed = performance.now();
    const cpuAtCommit = cpuMs();
    await r.until(arrivedBefore + total);
    const cpuPerDelivery = ((cpuMs() - cpuAtCommit) * 1000) / total;
    const rate = total / ((Math.max(...r.arrived.values()) - committed) / 1000);
    if ((await feedSize()) - feedWarm !== total)
      throw new Error('the batch made another number of events than the warm-up said');
    const refStart = performance.now();
    const refCpu = cpuMs();
    await signedPosts(r.url, total, concurrency);
    const refCpuPerPost = ((cpuMs() - refCpu) * 1000) / total;
    const refRate = total / ((performance.now() - refStart) / 1000);

    // Latency: one write at a time on one deal; from the answer to the event's arrival.
    // Counted before the write: its event may arrive before the answer does.
    const before = r.arrived.size;
    const deal = await a.opportunities.create.mutate({
      fields: { title: 'Latency', customer: { name: 'L' }, amountMinor: 100, currency: 'EUR' },
    });
    await r.until(before + 1);
    const added: number[] = [];
    for (let i = 0; i < samples; i++) {
      const seen = r.arrived.size;
      await a.opportunities.update.mutate({ id: deal.id, patch: { amountMinor: 200 + i } });
      const answered = performance.now();
      await r.until(seen + 1);
      added.push([...r.arrived.values()].at(-1)! - answered);
    }
    const reference: number[] = [];
    await signedPosts(r.url, samples, 1, (ms) => reference.push(ms));

    return [
      figure(
        `${label}deliveries to a local receiver`,
        rate,
        'deliveries/s',
        `bare signed POST loop (${concurrency} at a time)`,
        refRate,
      ),
      figure(
        `${label}CPU per delivery (server and receiver, one process)`,
        cpuPerDelivery,
        'µs',
        'CPU per bare signed POST (same receiver)',
        refCpuPerPost,
      ),
      figure(
        `${label}commit → delivery, p50`,
        percentile(added, 50),
        'ms',
        'one bare signed POST, p50',
        percentile(reference, 50),
      ),
      figure(
        `${label}commit → delivery, p99`,
        percentile(added, 99),
        'ms',
        'one bare signed POST, p99',
        percentile(reference, 99),
      ),
    ];
  } finally {
    await server.stop();
    await r.close();
  }
}
