import path from 'node:path';
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, tempDataDir, type TestServer } from '../../test/kit/harness.ts';
import { runCli, runCliAsync } from '../../test/kit/process.ts';

const dataDir = tempDataDir();
const env = { TANDEM_DATA_DIR: dataDir, TANDEM_PUBLIC_URL: 'http://tandem.test' };
let server: TestServer;

beforeAll(async () => {
  server = await startTestServer({ dataDir });
  // The partner commands act for acme's first admin, made as an operator would.
  const acme = runCli(
    ['company', 'create', '--slug', 'acme', '--name', 'Acme', '--admin-email', 'ada@acme.test'],
    env,
  );
  if (acme.status !== 0) throw new Error(acme.stderr);
});
afterAll(async () => {
  await server.stop();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

describe('tandem partner (against the running server)', { timeout: 120_000 }, () => {
  it('invites, accepts and lists partnerships with tokens from TANDEM_TOKEN', async () => {
    expect(
      runCli(
        [
          'company',
          'create',
          '--slug',
          'globex',
          '--name',
          'Globex',
          '--admin-email',
          'gus@globex.test',
        ],
        env,
      ).status,
    ).toBe(0);
    const acmeToken = runCli(
      ['token', '--company', 'acme', '--member', 'ada@acme.test'],
      env,
    ).stdout.trim();
    const globexToken = runCli(
      ['token', '--company', 'globex', '--member', 'gus@globex.test'],
      env,
    ).stdout.trim();
    const remote = (token: string) => ({ ...env, TANDEM_TOKEN: token, TANDEM_URL: server.url });
    const invited = await runCliAsync(
      ['partner', 'invite', 'globex', '--type', 'reseller', '--tier', 'gold', '--json'],
      remote(acmeToken),
    );
    expect(invited.status).toBe(0);
    const { id } = JSON.parse(invited.stdout) as { id: string };
    const accepted = await runCliAsync(['partner', 'accept', id, '--json'], remote(globexToken));
    // The server named by --url, or by the PORT the server was started with.
    const byFlag = await runCliAsync(['--url', server.url, 'partner', 'list', '--json'], {
      TANDEM_TOKEN: acmeToken,
    });
    expect(byFlag.status, byFlag.stderr).toBe(0);
    const byPort = await runCliAsync(['partner', 'list', '--json'], {
      TANDEM_TOKEN: acmeToken,
      PORT: new URL(server.url).port,
    });
    expect(byPort.status, byPort.stderr).toBe(0);
    expect(JSON.parse(byPort.stdout)).toEqual(JSON.parse(byFlag.stdout));
    expect(JSON.parse(accepted.stdout)).toMatchObject({
      id,
      partner: 'acme',
      direction: 'received',
      status: 'active',
    });
    const listed = await runCliAsync(['partner', 'list'], remote(acmeToken));
    expect(listed.stdout).toMatch(/globex\s+sent\s+reseller\s+gold\s+active/);
    const bad = await runCliAsync(
      ['partner', 'invite', 'globex', '--type', 'friend'],
      remote(acmeToken),
    );
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('partnerType');
    const csv = path.join(dataDir, 'accounts.csv');
    fs.writeFileSync(
      csv,
      'domain,name,status,industry\nhttps://www.initech.com,Initech,customer,Finance\nhooli.com,Hooli,prospect,\n',
    );
    const uploaded = await runCliAsync(['accounts', 'upload', csv, '--json'], remote(acmeToken));
    expect(JSON.parse(uploaded.stdout)).toEqual({ uploaded: 2, customer: 1, prospect: 1 });
    fs.writeFileSync(csv, 'domain,name,status\nnot a domain,X,customer\n');
    const refused = await runCliAsync(['accounts', 'upload', csv], remote(acmeToken));
    expect(refused.status).toBe(2);
    expect(refused.stderr).toContain('accounts.0.domain');
    const noToken = await runCliAsync(['partner', 'list'], { ...env, TANDEM_URL: server.url });
    expect(noToken.status).toBe(2);
    expect(noToken.stderr).toContain('TANDEM_TOKEN');
  });
});
