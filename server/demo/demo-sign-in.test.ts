import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../main.ts';
import { loadConfig } from '../config.ts';
import { createLogger } from '../core/logger.ts';
import { startTestServer, tempDataDir, type TestServer } from '../../test/kit/harness.ts';
import { createCompany } from '../tenants/companies/company.service.ts';
import { addMember } from '../tenants/members/member.service.ts';
import { refusal } from '../../test/kit/refusal.ts';

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer();
  const northwind = await createCompany(server.deps, {
    slug: 'northwind',
    name: 'Northwind Cloud',
  });
  await addMember(
    server.deps,
    { companyId: northwind.id },
    {
      email: 'alliance@northwind.example',
      name: 'Nora Northwind',
      role: 'alliance',
    },
  );
  await addMember(
    server.deps,
    { companyId: northwind.id },
    {
      email: 'real.person@northwind.com',
      name: 'Not a demo member',
      role: 'admin',
    },
  );
});
afterAll(() => server.stop());

const post = (url: string, body: unknown) =>
  fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });

describe('demo sign-in', () => {
  it('lists the demo companies and only their .example members', async () => {
    const res = await fetch(`${server.url}/api/demo/members`);
    expect(res.status).toBe(200);
    const { companies } = (await res.json()) as {
      companies: { slug: string; members: { email: string }[] }[];
    };
    expect(companies).toEqual([
      expect.objectContaining({
        slug: 'northwind',
        members: [expect.objectContaining({ email: 'alliance@northwind.example' })],
      }),
    ]);
  });

  it('mints a working token for a demo member and for no one else', async () => {
    const ok = await post(`${server.url}/api/demo/token`, {
      company: 'northwind',
      email: 'alliance@northwind.example',
    });
    expect(ok.status).toBe(200);
    const { token } = (await ok.json()) as { token: string };
    expect((await server.client(token).companies.me.query()).principal.name).toBe('Nora Northwind');
    const other = await post(`${server.url}/api/demo/token`, {
      company: 'northwind',
      email: 'real.person@northwind.com',
    });
    expect(other.status).toBe(404);
    const notDemo = await post(`${server.url}/api/demo/token`, {
      company: 'acme',
      email: 'a@acme.example',
    });
    expect(notDemo.status).toBe(400);
  });

  it('does not exist when the demo is off', async () => {
    const dataDir = tempDataDir();
    const config = loadConfig({
      PORT: '0',
      TANDEM_DATA_DIR: dataDir,
      TANDEM_DEMO: '0',
      LOG_LEVEL: 'silent',
    });
    const off: RunningServer = await startServer(config, { logger: createLogger('silent') });
    try {
      const base = `http://127.0.0.1:${off.port}`;
      expect((await fetch(`${base}/api/demo/members`)).status).toBe(404);
      expect(
        (
          await post(`${base}/api/demo/token`, {
            company: 'northwind',
            email: 'x@northwind.example',
          })
        ).status,
      ).toBe(404);
    } finally {
      await off.close(1000);
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });
});

describe('password sign-in', () => {
  it('answers a member token for the right password and the same refusal for every wrong one', async () => {
    const acme = await server.company('acme');
    const admin = server.client(await acme.memberToken('admin'));
    const ada = await admin.members.add.mutate({
      email: 'ada@acme.test',
      name: 'Ada',
      role: 'seller',
    });
    const anonymous = server.client();
    const noPassword = await refusal(
      anonymous.auth.login.mutate({ company: 'acme', email: 'ada@acme.test', password: 'x' }),
    );
    expect(noPassword.data?.code).toBe('CredentialsInvalid');
    await admin.members.setPassword.mutate({ memberId: ada.id, password: 'a long enough secret' });
    const { token } = await anonymous.auth.login.mutate({
      company: 'acme',
      email: 'ADA@acme.test',
      password: 'a long enough secret',
    });
    expect((await server.client(token).companies.me.query()).principal).toMatchObject({
      id: ada.id,
      name: 'Ada',
    });
    for (const wrong of [
      { company: 'acme', email: 'ada@acme.test', password: 'a long enough secreT' },
      { company: 'acme', email: 'nobody@acme.test', password: 'a long enough secret' },
      { company: 'nowhere', email: 'ada@acme.test', password: 'a long enough secret' },
    ]) {
      const error = await refusal(anonymous.auth.login.mutate(wrong));
      expect(error.data).toMatchObject({ code: 'CredentialsInvalid', httpStatus: 401 });
      expect(error.message).toBe('the company, email or password is not right');
    }
    const short = await refusal(
      admin.members.setPassword.mutate({ memberId: ada.id, password: 'short' }),
    );
    expect(short.data?.code).toBe('ValidationFailed');
  });
});
