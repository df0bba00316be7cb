import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, tempDataDir, type TestServer } from '../../../test/kit/harness.ts';
import { runCli, runCliAsync } from '../../../test/kit/process.ts';

const dataDir = tempDataDir();
const env = { TANDEM_DATA_DIR: dataDir, TANDEM_PUBLIC_URL: 'http://tandem.test' };
let server: TestServer;

beforeAll(async () => {
  server = await startTestServer({ dataDir });
});
afterAll(async () => {
  await server.stop();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

describe('the tandem CLI', { timeout: 120_000 }, () => {
  it('creates the first company and admin, lists companies as JSON, and mints a working token', async () => {
    const created = runCli(
      [
        'company',
        'create',
        '--slug',
        'acme',
        '--name',
        'Acme',
        '--admin-email',
        'Ada@Acme.test',
        '--json',
      ],
      env,
    );
    expect(created.status).toBe(0);
    const company = JSON.parse(created.stdout) as { id: string; adminEmail: string };
    expect(company.adminEmail).toBe('ada@acme.test');

    const listed = JSON.parse(runCli(['company', 'list', '--json'], env).stdout) as {
      id: string;
      slug: string;
    }[];
    expect(listed).toEqual([expect.objectContaining({ id: company.id, slug: 'acme' })]);

    const minted = runCli(
      ['token', '--company', 'acme', '--member', 'ada@acme.test', '--ttl', '10m'],
      env,
    );
    expect(minted.status).toBe(0);
    expect(minted.stdout).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+\n$/);
    const me = await server.client(minted.stdout.trim()).companies.me.query();
    expect(me.company.id).toBe(company.id);
    expect(me.principal.scopes).toContain('company:admin');
  });

  it('prints a client secret once and the token for that client works', async () => {
    const created = runCli(
      [
        'client',
        'create',
        '--company',
        'acme',
        '--name',
        'crm sync',
        '--scopes',
        'partners:read',
        '--json',
      ],
      env,
    );
    expect(created.status).toBe(0);
    const client = JSON.parse(created.stdout) as { id: string; secret: string };
    expect(client.secret.length).toBeGreaterThan(30);
    // Async: a blocked event loop would let the in-process server drop the test's idle
    // keep-alive socket just as the next request is sent on it.
    const token = (
      await runCliAsync(['token', '--company', 'acme', '--client', client.id], env)
    ).stdout.trim();
    expect((await server.client(token).companies.me.query()).principal).toMatchObject({
      kind: 'client',
      scopes: ['partners:read'],
    });
  });

  it('exits 2 with a message that says what to do on a usage error', () => {
    const both = runCli(['token', '--company', 'acme'], env);
    expect(both.status).toBe(2);
    expect(both.stderr).toContain('--member <email> or --client <id>');
    const ttl = runCli(
      ['token', '--company', 'acme', '--member', 'ada@acme.test', '--ttl', 'soon'],
      env,
    );
    expect(ttl.status).toBe(2);
    expect(ttl.stderr).toContain('15m');
    const slug = runCli(['company', 'create', '--slug', 'Not A Slug', '--name', 'x'], env);
    expect(slug.status).toBe(2);
    expect(slug.stderr).toContain('slug:');
    expect(runCli(['nonsense'], env).status).toBe(2);
  });

  it('exits 1 naming what was not found, with no stack trace', () => {
    const missing = runCli(['token', '--company', 'nobody', '--member', 'x@y.test'], env);
    expect(missing.status).toBe(1);
    expect(missing.stderr).toContain('company "nobody" not found');
    expect(missing.stderr).not.toMatch(/\bat .+:\d+:\d+/);
  });
});
