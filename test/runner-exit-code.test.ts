import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '..');

describe('the test run', () => {
  it('exits non-zero when a test fails, with the embedded PostgreSQL started and stopped', () => {
    // The embedded server's package once ended every run with code 0 (its exit hook).
    const env: NodeJS.ProcessEnv = { ...process.env };
    delete env.TANDEM_TEST_POSTGRES_URL;
    delete env.VITEST;
    const run = spawnSync(
      process.execPath,
      [
        path.join(root, 'node_modules/vitest/vitest.mjs'),
        'run',
        '--config',
        'test/fixtures/failing-run/vitest.config.ts',
      ],
      { cwd: root, env, encoding: 'utf8', timeout: 60_000 },
    );
    expect(run.stdout + run.stderr).toContain('fails on purpose');
    expect(run.status).toBe(1);
  }, 60_000);
});
