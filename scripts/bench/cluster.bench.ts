import { freshPostgres } from '../../test/kit/stores.ts';
import { figure, percentile, type Figure } from './measure.ts';
import { stockClient, type RoomAddress } from './room-client.ts';
import { latencies } from './sync-latency.ts';
import { createDeals, partner, prepareWorld, startTandem } from './tandem-world.ts';

const edits = Number(process.env.BENCH_CLUSTER_EDITS ?? 300);

/** Two stock clients in one room: the latencies of `edits` edits from `a` until `b` holds them. */
async function pair(a: RoomAddress, b: RoomAddress): Promise<number[]> {
  const x = stockClient(a);
  const y = stockClient(b);
  try {
    await Promise.all([x.synced, y.synced]);
    await latencies(x, y, 20, 'warm');
    return await latencies(x, y, edits, 'timed');
  } finally {
    x.stop();
    y.stop();
  }
}

/**
 * Deal-room sync across two Tandem instances on one PostgreSQL database (each in its own
 * process; the edit is checked, ledgered and committed on the first, then relayed by NOTIFY and
 * read back from the store on the second) against two clients on one instance, in the same run,
 * on the same database (TANDEM_BENCH_POSTGRES_URL's server).
 */
export async function benchCluster(
  postgresUrl = process.env.TANDEM_BENCH_POSTGRES_URL,
): Promise<Figure[]> {
  if (!postgresUrl)
    throw new Error(
      'the cluster benchmark needs PostgreSQL: set TANDEM_BENCH_POSTGRES_URL to a server it may ' +
        'create and drop databases on (postgres://user@127.0.0.1:5432/postgres)',
    );
  const database = await freshPostgres({ base: postgresUrl, prefix: 'tandem_bench' });
  try {
    const world = await prepareWorld(undefined, database.env);
    try {
      const first = await startTandem(world);
      try {
        const second = await startTandem(world);
        try {
          await partner(first.url, world);
          const [one, across] = await createDeals(first.url, world, {
            count: 2,
            prefix: 'C',
            shared: true,
          });
          const at = (url: string, dealId: string, token: string): RoomAddress => ({
            baseUrl: url,
            dealId,
            token,
          });
          const single = await pair(
            at(first.url, one!, world.tokens.acme),
            at(first.url, one!, world.tokens.globex),
          );
          const cross = await pair(
            at(first.url, across!, world.tokens.acme),
            at(second.url, across!, world.tokens.globex),
          );
          const reference = 'both clients on one instance (same database, same run)';
          return [
            figure(
              'PostgreSQL: edit reaches a client on another instance, p50',
              percentile(cross, 50),
              'ms',
              reference,
              percentile(single, 50),
            ),
            figure(
              'PostgreSQL: edit reaches a client on another instance, p99 (target ≤ 50 ms)',
              percentile(cross, 99),
              'ms',
              reference,
              percentile(single, 99),
            ),
          ];
        } finally {
          await second.stop();
        }
      } finally {
        await first.stop();
      }
    } finally {
      world.remove();
    }
  } finally {
    await database.drop();
  }
}
