import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { startTestPostgres } from './postgres-server.ts';

/**
 * Once per `npm test`: dist/node built from the sources, and the PostgreSQL the `postgres` project runs against (the one named by
 * TANDEM_TEST_POSTGRES_URL, or a throwaway embedded server), handed to the test processes
 * through the environment they inherit.
 */
export default async function setup(): Promise<() => Promise<void>> {
  // The CLI suites run the `tandem` bin as shipped, compiled: build it from these sources first.
  execFileSync(process.execPath, [
    path.resolve(import.meta.dirname, '../../scripts/build/build-node.mjs'),
    '--quiet',
  ]);
  const server = await startTestPostgres();
  process.env.TANDEM_TEST_POSTGRES_URL = server.url;
  return () => server.stop();
}
