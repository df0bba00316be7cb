import { defineConfig } from 'vitest/config';

/** The suites that reach the database through the server, the CLI or the services. */
const databaseSuites = ['{server,client,test}/**/*.test.ts'];
/**
 * Bound to SQLite as written: they open, edit or copy the SQLite file under the server (its
 * statements and group commit, a backup of the file, rows written straight into it, a ledger
 * edited in place). Their PostgreSQL counterparts are still to come (issue 19).
 */
const sqliteOnly = [
  'server/store/sqlite/**',
  'server/admin/cli/backup.command.test.ts',
  // Seeds a SQLite install and copies it to PostgreSQL and back: it reaches both itself.
  'server/admin/cli/db.command.test.ts',
  'server/attribution/attribution-export.test.ts',
  'test/ledger-audit.test.ts',
  'test/lint/**',
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
