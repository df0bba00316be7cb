import { createHmac, randomUUID } from 'node:crypto';
import { exportJWK, generateKeyPair, SignJWT, type JWTPayload } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestCompany, type TestServer } from '../../../test/kit/harness.ts';
import { issuerFor } from './token-claims.ts';

let server: TestServer;
let a: TestCompany;
let b: TestCompany;
let adminA: string;
let memberA: string;
const aud = 'http://tandem.test';
const now = () => Math.floor(Date.now() / 1000);
const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');

beforeAll(async () => {
  server = await startTestServer();
  a = await server.company('acme');
  b = await server.company('globex');
  adminA = await a.memberToken('admin');
  const me = await server.client(adminA).companies.me.query();
  memberA = me.principal.id;
});
afterAll(() => server.stop());

/** Signs claims with a company's real current access key, with any header and claims we like. */
async function signAs(
  company: TestCompany,
  claims: JWTPayload,
  header: Record<string, unknown> = {},
) {
  const key = await server.deps.keyRing.signingKey(
    server.deps.db,
    { companyId: company.id },
    'access',
  );
  return new SignJWT(claims)
    .setProtectedHeader({ alg: 'EdDSA', kid: key.kid, typ: 'at+jwt', ...header })
    .sign(key.privateKey);
}

function validClaims(over: JWTPayload = {}): JWTPayload {
  return {
    iss: issuerFor(aud, a.id),
    aud,
    sub: memberA,
    iat: now(),
    exp: now() + 600,
    jti: randomUUID(),
    ...over,
  };
}

async function me(authorization: string | undefined) {
  const res = await fetch(`${server.url}/trpc/companies.me`, {
    headers: authorization ? { authorization } : {},
  });
  return { status: res.status, text: await res.text() };
}

async function expectRefused(authorization: string | undefined, code = 'TokenInvalid') {
  const { status, text } = await me(authorization);
  expect(status).toBe(401);
  const body = JSON.parse(text) as { error: { data: { code: string } }; result?: unknown };
  expect(body.result).toBeUndefined();
  expect(body.error.data.code).toBe(code);
  expect(text).not.toContain(a.slug);
}

describe('access token verification', () => {
  it('accepts a genuine token (the control for every attack below)', async () => {
    expect((await me(`Bearer ${await signAs(a, validClaims())}`)).status).toBe(200);
  });

  it('refuses a request with no Authorization header', () =>
    expectRefused(undefined, 'TokenMissing'));

  it('refuses a garbled header', async () => {
    await expectRefused('Bearer not-a-jwt');
    await expectRefused('Basic dXNlcjpwYXNz');
    await expectRefused(`Bearer ${b64({ alg: 'EdDSA' })}.${b64({})}`);
  });

  it('refuses alg none', async () => {
    const key = await server.deps.keyRing.signingKey(server.deps.db, { companyId: a.id }, 'access');
    await expectRefused(
      `Bearer ${b64({ alg: 'none', kid: key.kid, typ: 'at+jwt' })}.${b64(validClaims())}.`,
    );
  });

  it('refuses HS256 signed with the company public key as the secret', async () => {
    const jwks = (await (
      await fetch(`${server.url}/companies/${a.id}/.well-known/jwks.json`)
    ).json()) as { keys: { kid: string; x: string }[] };
    const pub = jwks.keys[0]!;
    for (const secret of [JSON.stringify(pub), pub.x, Buffer.from(pub.x, 'base64url')]) {
      const input = `${b64({ alg: 'HS256', kid: pub.kid, typ: 'at+jwt' })}.${b64(validClaims())}`;
      const sig = createHmac('sha256', secret).update(input).digest('base64url');
      await expectRefused(`Bearer ${input}.${sig}`);
    }
  });

  it('refuses a token signed by company B that claims issuer A', async () => {
    await expectRefused(`Bearer ${await signAs(b, validClaims())}`);
    // B's signature under A's kid fails too.
    const aKey = await server.deps.keyRing.signingKey(
      server.deps.db,
      { companyId: a.id },
      'access',
    );
    await expectRefused(`Bearer ${await signAs(b, validClaims(), { kid: aKey.kid })}`);
  });

  it('refuses an expired token, beyond the 60 s skew', async () => {
    await expectRefused(
      `Bearer ${await signAs(a, validClaims({ iat: now() - 900, exp: now() - 61 }))}`,
      'TokenExpired',
    );
  });

  it('accepts a token expired within the 60 s skew', async () => {
    expect(
      (await me(`Bearer ${await signAs(a, validClaims({ iat: now() - 900, exp: now() - 30 }))}`))
        .status,
    ).toBe(200);
  });

  it('refuses a token not yet valid', async () => {
    await expectRefused(`Bearer ${await signAs(a, validClaims({ nbf: now() + 300 }))}`);
    await expectRefused(
      `Bearer ${await signAs(a, validClaims({ iat: now() + 300, exp: now() + 900 }))}`,
    );
  });

  it('refuses the wrong audience', async () => {
    await expectRefused(`Bearer ${await signAs(a, validClaims({ aud: 'http://elsewhere.test' }))}`);
  });

  it('refuses a revoked jti, keyed by issuer and jti', async () => {
    const claims = validClaims();
    const token = `Bearer ${await signAs(a, claims)}`;
    expect((await me(token)).status).toBe(200);
    await server.client(adminA).tokens.revoke.mutate({ jti: claims.jti! });
    await expectRefused(token);
    // B revoking the same jti string does not touch A's other tokens: revocation is per issuer.
    const other = validClaims();
    await server.client(await b.memberToken('admin')).tokens.revoke.mutate({ jti: other.jti! });
    expect((await me(`Bearer ${await signAs(a, other)}`)).status).toBe(200);
  });

  it('refuses a retired kid, and keeps verifying older keys until they are retired', async () => {
    const client = server.client(adminA);
    const oldToken = `Bearer ${await signAs(a, validClaims())}`;
    const old = await server.deps.keyRing.signingKey(server.deps.db, { companyId: a.id }, 'access');
    await client.keys.rotate.mutate({ purpose: 'access' });
    expect((await me(oldToken)).status).toBe(200);
    const fresh = `Bearer ${await signAs(a, validClaims())}`;
    await server.client(fresh.slice(7)).keys.retire.mutate({ kid: old.kid });
    await expectRefused(oldToken);
    expect((await me(fresh)).status).toBe(200);
    adminA = fresh.slice(7);
  });

  it('refuses an unknown kid', async () => {
    await expectRefused(`Bearer ${await signAs(a, validClaims(), { kid: 'key_doesnotexist' })}`);
  });

  it('refuses a payload altered after signing', async () => {
    const [h, , s] = (await signAs(a, validClaims())).split('.');
    await expectRefused(`Bearer ${h}.${b64(validClaims({ sub: 'mem_someoneelse' }))}.${s}`);
  });

  it('refuses key-carrying headers, a missing jti, a wrong typ and a life over an hour', async () => {
    await expectRefused(
      `Bearer ${await signAs(a, validClaims(), { jku: 'http://evil.test/jwks.json' })}`,
    );
    const { jti: _dropped, ...noJti } = validClaims();
    await expectRefused(`Bearer ${await signAs(a, noJti)}`);
    await expectRefused(`Bearer ${await signAs(a, validClaims(), { typ: 'JWT' })}`);
    await expectRefused(`Bearer ${await signAs(a, validClaims({ exp: now() + 7200 }))}`);
  });

  it('accepts tokens minted by a company backend with its registered ES256 key, under the same checks', async () => {
    const { publicKey, privateKey } = await generateKeyPair('ES256');
    const registered = await server.client(adminA).keys.registerExternal.mutate({
      jwk: (await exportJWK(publicKey)) as never,
      purpose: 'access',
    });
    const sign = (claims: JWTPayload) =>
      new SignJWT(claims)
        .setProtectedHeader({ alg: 'ES256', kid: registered.kid, typ: 'at+jwt' })
        .sign(privateKey);
    expect((await me(`Bearer ${await sign(validClaims())}`)).status).toBe(200);
    await expectRefused(`Bearer ${await sign(validClaims({ aud: 'http://elsewhere.test' }))}`);
    // The external key belongs to A only: a token claiming B's issuer with it is refused.
    await expectRefused(`Bearer ${await sign(validClaims({ iss: issuerFor(aud, b.id) }))}`);
  });

  it('refuses a token for a member of another company', async () => {
    const bMember = (await server.client(await b.memberToken('viewer')).companies.me.query())
      .principal.id;
    await expectRefused(`Bearer ${await signAs(a, validClaims({ sub: bMember }))}`);
  });
});
