import { defineConfig } from 'vitest/config';

/** The suites that reach the database through the server, the CLI or the services (or race on it). */
const databaseSuites = ['{server,client,test}/**/*.test.ts', 'schema/migrator-race.test.ts'];
/**
 * Bound to SQLite by nature: its statements and group commit, and the backup that copies its
 * file (PostgreSQL installs use pg_dump; the suite below checks `tandem backup` says so).
 */
const sqliteOnly = [
  'server/store/sqlite/**',
  'server/admin/cli/backup.command.test.ts',
  // Seeds a SQLite install and copies it to PostgreSQL and back: it reaches both itself.
  'server/admin/cli/db.command.test.ts',
  'test/lint/**',
];
/** Need PostgreSQL whatever the project: its write queue, and the CLI on a PostgreSQL install. */
const postgresOnly = [
  'server/store/postgres/**',
  'server/admin/cli/backup-postgres.command.test.ts',
  // Several instances on one database: a PostgreSQL deployment (SQLite serves one process).
  'test/cluster/**',
  'server/cluster/pg-*.test.ts',
];

const shared = {
  // Suites boot real servers and child processes; forks keep native SQLite handles per process.
  pool: 'forks' as const,
  testTimeout: 30_000,
  hookTimeout: 30_000,
};

/**
 * Every test runs against SQLite; the suites that touch the database through the server run
 * again against PostgreSQL (TANDEM_TEST_STORE picks the store the test harness opens).
 */
export default defineConfig({
  test: {
    globalSetup: ['test/kit/global-setup.ts'],
    projects: [
      {
        test: {
          ...shared,
          name: 'sqlite',
          include: ['{server,client,shared,schema,scripts,test}/**/*.test.ts'],
          exclude: postgresOnly,
          env: { TANDEM_TEST_STORE: 'sqlite' },
        },
      },
      {
        test: {
          ...shared,
          name: 'postgres',
          include: databaseSuites,
          exclude: sqliteOnly,
          env: { TANDEM_TEST_STORE: 'postgres' },
        },
      },
    ],
  },
});
