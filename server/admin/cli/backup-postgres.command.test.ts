import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, tempDataDir, type TestServer } from '../../../test/kit/harness.ts';
import { runCli } from '../../../test/kit/process.ts';
import { dropStoreOf, testStore } from '../../../test/kit/stores.ts';

// The postgres project only: a PostgreSQL install has no file for `tandem backup` to copy.
const dataDir = tempDataDir();
const scratch = tempDataDir();
const env = { TANDEM_DATA_DIR: dataDir, TANDEM_PUBLIC_URL: 'http://tandem.test' };
let server: TestServer;

beforeAll(async () => {
  expect(testStore()).toBe('postgres');
  server = await startTestServer({ dataDir });
  await server.company('acme');
});
afterAll(async () => {
  await server.stop();
  await dropStoreOf(dataDir);
  for (const dir of [dataDir, scratch]) fs.rmSync(dir, { recursive: true, force: true });
});

describe('tandem backup and restore on PostgreSQL', () => {
  it('refuses to back up, says to use pg_dump, and writes no file', () => {
    const file = path.join(scratch, 'tandem.backup.sqlite');
    const result = runCli(['backup', file], env);
    expect(result.status).not.toBe(0);
    expect(result.stderr).toContain('pg_dump');
    expect(fs.existsSync(file)).toBe(false);
  });

  it('refuses to restore and says to use pg_restore', () => {
    const file = path.join(scratch, 'any.sqlite');
    fs.writeFileSync(file, '');
    const result = runCli(['--data-dir', scratch, 'restore', file], env);
    expect(result.status).not.toBe(0);
    expect(result.stderr).toContain('pg_restore');
  });
});
