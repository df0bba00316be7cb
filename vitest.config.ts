import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['{server,client,shared,schema,scripts,test}/**/*.test.ts'],
    // Suites boot real servers and child processes; forks keep native SQLite handles per process.
    pool: 'forks',
    testTimeout: 30_000,
    hookTimeout: 30_000,
  },
});
