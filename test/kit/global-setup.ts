import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { ensureWebBuild } from '../../client/web/build-web.ts';
import { startTestPostgres } from './postgres-server.ts';

/**
 * Once per `npm test`: dist/node and the web app built from the sources, and the PostgreSQL the `postgres` project runs against (the one named by
 * TANDEM_TEST_POSTGRES_URL, or a throwaway embedded server), handed to the test processes
 * through the environment they inherit.
 */
export default async function setup(): Promise<() => Promise<void>> {
  // The CLI suites run the `tandem` bin as shipped, compiled: build it from these sources first.
  execFileSync(process.execPath, [
    path.resolve(import.meta.dirname, '../../scripts/build/build-node.mjs'),
    '--quiet',
  ]);
  // The browser suites run in parallel (and once per store): build the web app once, here, so
  // none of them empties dist/web while another's server serves it.
  await ensureWebBuild();
  const server = await startTestPostgres();
  process.env.TANDEM_TEST_POSTGRES_URL = server.url;
  return () => server.stop();
}
