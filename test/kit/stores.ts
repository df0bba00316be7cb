import pg from 'pg';

/** The store this test run is for: vitest's `sqlite` or `postgres` project sets TANDEM_TEST_STORE. */
export function testStore(): 'sqlite' | 'postgres' {
  return process.env.TANDEM_TEST_STORE === 'postgres' ? 'postgres' : 'sqlite';
}

/**
 * A fresh, empty PostgreSQL database on the test server (a database of its own per server, so
 * test files run in parallel), with the environment that points Tandem at it and a drop. The
 * benchmarks pass their own server and name prefix.
 */
export async function freshPostgres(options: { base?: string; prefix?: string } = {}): Promise<{
  env: Record<string, string>;
  drop(): Promise<void>;
}> {
  const base = options.base ?? process.env.TANDEM_TEST_POSTGRES_URL;
  if (!base)
    throw new Error('TANDEM_TEST_POSTGRES_URL is unset: the vitest global setup provides it');
  const prefix = options.prefix ?? 'tandem_t';
  const name = `${prefix}_${process.pid}_${Math.random().toString(36).slice(2, 10)}`;
  const admin = new pg.Client(base);
  await admin.connect();
  try {
    await admin.query(`create database ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(base);
  url.pathname = `/${name}`;
  return {
    env: { TANDEM_DATABASE_URL: url.toString(), TANDEM_DB_POOL: '4' },
    async drop() {
      const again = new pg.Client(base);
      await again.connect();
      try {
        await again.query(`drop database if exists ${name} with (force)`);
      } finally {
        await again.end();
      }
    },
  };
}

type PostgresStore = Awaited<ReturnType<typeof freshPostgres>>;
const byDataDir = new Map<string, PostgresStore>();

/** The database of a data directory: a server restarted on it, or the CLI beside it, finds it. */
export async function postgresFor(dataDir: string): Promise<PostgresStore> {
  let store = byDataDir.get(dataDir);
  if (!store) byDataDir.set(dataDir, (store = await freshPostgres()));
  return store;
}

/** The environment naming that database, if a server on this run made one for the directory. */
export function postgresEnvOf(dataDir: string): Record<string, string> | undefined {
  return byDataDir.get(dataDir)?.env;
}

/** Drops the database made for a data directory, if any (tests that chose their own directory). */
export async function dropStoreOf(dataDir: string): Promise<void> {
  const store = byDataDir.get(dataDir);
  byDataDir.delete(dataDir);
  await store?.drop();
}
