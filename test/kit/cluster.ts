import fs from 'node:fs';
import { startTestServer, tempDataDir, type TestServer } from './harness.ts';
import { dropStoreOf } from './stores.ts';

/**
 * Several instances of the real server on one PostgreSQL database and one data directory (so one
 * master key), each on its own random port, as behind a load balancer. `restart(i)` stops one
 * and starts a fresh instance in its place (a new port).
 */
export async function startCluster(
  size: number,
  options: Parameters<typeof startTestServer>[0] = {},
): Promise<{
  instances: TestServer[];
  restart(i: number): Promise<TestServer>;
  stop(): Promise<void>;
}> {
  const dataDir = tempDataDir();
  const start = () => startTestServer({ ...options, dataDir });
  // The first migrates the empty database; the others find it done.
  const instances = [await start()];
  for (let i = 1; i < size; i++) instances.push(await start());
  return {
    instances,
    async restart(i) {
      await instances[i]!.stop();
      instances[i] = await start();
      return instances[i]!;
    },
    async stop() {
      await Promise.all(instances.map((s) => s.stop()));
      await dropStoreOf(dataDir);
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
