import { exportJWK, generateKeyPair } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TandemClient } from '../client/sdk/tandem-client.ts';
import { memberRoles, roleScopes, type Scope } from '../shared/tenancy/tenancy.ts';
import { issueAccessToken } from '../server/tenants/tokens/token-issuer.ts';
import { startTestServer, type TestCompany, type TestServer } from './kit/harness.ts';
import { refusal } from './kit/refusal.ts';

let server: TestServer;
let acme: TestCompany;
let admin: TandemClient;

beforeAll(async () => {
  server = await startTestServer();
  acme = await server.company('acme');
  await server.company('globex');
  admin = server.client(await acme.memberToken('admin'));
});
afterAll(() => server.stop());

async function expectForbidden(promise: Promise<unknown>): Promise<void> {
  expect((await refusal(promise)).data).toMatchObject({ code: 'Forbidden', httpStatus: 403 });
}

async function expectUnauthorized(promise: Promise<unknown>): Promise<void> {
  expect((await refusal(promise)).data).toMatchObject({ code: 'TokenInvalid', httpStatus: 401 });
}

async function memberIdOf(token: string): Promise<string> {
  return (await server.client(token).companies.me.query()).principal.id;
}

/** The client-credentials exchange of `POST /api/v1/token`, optionally narrowed to some scopes. */
async function exchange(clientId: string, secret: string, scope?: string) {
  const res = await fetch(`${server.url}/api/v1/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      grant_type: 'client_credentials',
      client_id: clientId,
      client_secret: secret,
      scope,
    }),
  });
  return {
    status: res.status,
    body: (await res.json()) as { access_token?: string; error?: { code: string } },
  };
}

type Attempt = [string, (client: TandemClient) => Promise<unknown>];

describe('what a role may do', () => {
  it.each(memberRoles)('gives the %s role exactly the scopes of its role', async (role) => {
    const me = await server.client(await acme.memberToken(role)).companies.me.query();
    expect(me.principal.kind).toBe('member');
    expect(me.principal.scopes).toEqual([...roleScopes[role]].sort());
  });

  const viewerWrites: Attempt[] = [
    [
      'members.add',
      (c) => c.members.add.mutate({ email: 'new@acme.test', name: 'New', role: 'admin' }),
    ],
    [
      'partnerships.invite',
      (c) => c.partnerships.invite.mutate({ partner: 'globex', partnerType: 'reseller' }),
    ],
    ['clients.create', (c) => c.clients.create.mutate({ name: 'bot', scopes: ['company:admin'] })],
    ['keys.rotate', (c) => c.keys.rotate.mutate({ purpose: 'access' })],
  ];

  it.each(viewerWrites)('refuses %s to a viewer with Forbidden', async (_path, attempt) => {
    await expectForbidden(attempt(server.client(await acme.memberToken('viewer'))));
  });

  it('leaves no trace of the writes a viewer was refused', async () => {
    expect((await admin.members.list.query()).map((m) => m.email)).not.toContain('new@acme.test');
    expect((await admin.clients.list.query()).map((c) => c.name)).not.toContain('bot');
    expect(await admin.partnerships.list.query()).toEqual([]);
  });

  it.each<Attempt>([
    ['members.list', (c) => c.members.list.query()],
    [
      'members.add',
      (c) => c.members.add.mutate({ email: 'seller-made@acme.test', name: 'X', role: 'admin' }),
    ],
    [
      'members.setRole',
      async (c) =>
        c.members.setRole.mutate({
          memberId: await memberIdOf(await acme.memberToken('viewer')),
          role: 'admin',
        }),
    ],
    [
      'members.disable',
      async (c) =>
        c.members.disable.mutate({ memberId: await memberIdOf(await acme.memberToken('viewer')) }),
    ],
    ['clients.list', (c) => c.clients.list.query()],
    [
      'clients.create',
      (c) => c.clients.create.mutate({ name: 'seller bot', scopes: ['company:admin'] }),
    ],
    [
      'clients.revoke',
      async (c) =>
        c.clients.revoke.mutate({ clientId: (await acme.clientToken(['partners:read'])).clientId }),
    ],
    ['keys.list', (c) => c.keys.list.query()],
    ['keys.rotate', (c) => c.keys.rotate.mutate({ purpose: 'attestation' })],
    [
      'keys.retire',
      async (c) => c.keys.retire.mutate({ kid: (await admin.keys.list.query())[0]!.kid }),
    ],
    [
      'keys.registerExternal',
      async (c) =>
        c.keys.registerExternal.mutate({ jwk: await ed25519PublicJwk(), purpose: 'access' }),
    ],
    ['tokens.revoke', (c) => c.tokens.revoke.mutate({ jti: 'some-jti' })],
  ])('refuses %s to a seller with Forbidden', async (_path, attempt) => {
    await expectForbidden(attempt(server.client(await acme.memberToken('seller'))));
  });
});

async function ed25519PublicJwk() {
  const { publicKey } = await generateKeyPair('EdDSA', { crv: 'Ed25519', extractable: true });
  return { kty: 'OKP', crv: 'Ed25519', x: (await exportJWK(publicKey)).x ?? '' };
}

describe('what an API client may do', () => {
  it('lets a partners:read client list partnerships but not invite', async () => {
    const reader = server.client((await acme.clientToken(['partners:read'])).token);
    expect(await reader.partnerships.list.query()).toEqual([]);
    await expectForbidden(
      reader.partnerships.invite.mutate({ partner: 'globex', partnerType: 'referral' }),
    );
  });

  it('holds a token narrowed at the exchange to the narrowed scopes', async () => {
    const { clientId, secret } = await acme.clientToken(['partners:read', 'partners:manage']);
    const { status, body } = await exchange(clientId, secret, 'partners:read');
    expect(status).toBe(200);
    const narrowed = server.client(body.access_token);
    expect((await narrowed.companies.me.query()).principal).toMatchObject({
      kind: 'client',
      scopes: ['partners:read'],
    });
    await expectForbidden(
      narrowed.partnerships.invite.mutate({ partner: 'globex', partnerType: 'referral' }),
    );
  });

  it('refuses to exchange credentials for a scope the client was not granted', async () => {
    const { clientId, secret } = await acme.clientToken(['partners:read']);
    const { status, body } = await exchange(clientId, secret, 'partners:read company:admin');
    expect(status).toBe(403);
    expect(body.error?.code).toBe('Forbidden');
  });

  it('grants a token that claims more than the client holds only what the client holds', async () => {
    const { clientId } = await acme.clientToken(['partners:read']);
    const claimed: Scope[] = ['partners:read', 'partners:manage', 'company:admin'];
    const { token } = await issueAccessToken(
      server.deps,
      { companyId: acme.id },
      { subject: clientId, ttlSeconds: 300, scopes: claimed },
    );
    const client = server.client(token);
    expect((await client.companies.me.query()).principal.scopes).toEqual(['partners:read']);
    await expectForbidden(client.members.list.query());
    await expectForbidden(
      client.partnerships.invite.mutate({ partner: 'globex', partnerType: 'referral' }),
    );
  });
});

describe('taking access away', () => {
  it('refuses the token of a disabled member at once', async () => {
    const token = await acme.memberToken('alliance');
    const member = server.client(token);
    const memberId = await memberIdOf(token);
    await admin.members.disable.mutate({ memberId });
    await expectUnauthorized(member.companies.me.query());
    await expectUnauthorized(member.partnerships.list.query());
  });

  it('refuses the token and the secret of a revoked API client at once', async () => {
    const { token, clientId, secret } = await acme.clientToken(['partners:read']);
    const client = server.client(token);
    expect(await client.partnerships.list.query()).toEqual([]);
    await admin.clients.revoke.mutate({ clientId });
    await expectUnauthorized(client.partnerships.list.query());
    const { status, body } = await exchange(clientId, secret);
    expect(status).toBe(401);
    expect(body.error?.code).toBe('CredentialsInvalid');
  });
});

describe('the last admin', () => {
  let solo: TestCompany;
  let soloAdmin: TandemClient;
  let soloAdminId: string;

  beforeAll(async () => {
    solo = await server.company('solo');
    const token = await solo.memberToken('admin');
    soloAdmin = server.client(token);
    soloAdminId = await memberIdOf(token);
  });

  async function expectLastAdmin(promise: Promise<unknown>): Promise<void> {
    expect((await refusal(promise)).data).toMatchObject({ code: 'InvalidState', httpStatus: 409 });
  }

  it('cannot be demoted', async () => {
    await expectLastAdmin(
      soloAdmin.members.setRole.mutate({ memberId: soloAdminId, role: 'viewer' }),
    );
    expect((await soloAdmin.companies.me.query()).principal.scopes).toContain('company:admin');
  });

  it('cannot be disabled', async () => {
    await expectLastAdmin(soloAdmin.members.disable.mutate({ memberId: soloAdminId }));
    expect((await soloAdmin.members.list.query()).find((m) => m.id === soloAdminId)).toMatchObject({
      role: 'admin',
      disabled: false,
    });
  });

  it('cannot be demoted while the only other admin is disabled', async () => {
    const other = await soloAdmin.members.add.mutate({
      email: 'second@solo.test',
      name: 'Second',
      role: 'admin',
    });
    await soloAdmin.members.disable.mutate({ memberId: other.id });
    await expectLastAdmin(
      soloAdmin.members.setRole.mutate({ memberId: soloAdminId, role: 'finance' }),
    );
  });

  it('can step down once another enabled admin exists', async () => {
    await soloAdmin.members.add.mutate({ email: 'third@solo.test', name: 'Third', role: 'admin' });
    expect(
      await soloAdmin.members.setRole.mutate({ memberId: soloAdminId, role: 'viewer' }),
    ).toMatchObject({ role: 'viewer' });
    await expectForbidden(soloAdmin.members.list.query());
  });
});
