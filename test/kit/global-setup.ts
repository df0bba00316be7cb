import { startTestPostgres } from './postgres-server.ts';

/**
 * Once per `npm test`: the PostgreSQL the `postgres` project runs against (the one named by
 * TANDEM_TEST_POSTGRES_URL, or a throwaway embedded server), handed to the test processes
 * through the environment they inherit.
 */
export default async function setup(): Promise<() => Promise<void>> {
  const server = await startTestPostgres();
  process.env.TANDEM_TEST_POSTGRES_URL = server.url;
  return () => server.stop();
}
