import { createLocalJWKSet, decodeProtectedHeader, jwtVerify } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestCompany, type TestServer } from '../../../test/kit/harness.ts';

let server: TestServer;
let acme: TestCompany;
let credentials: { clientId: string; secret: string };

beforeAll(async () => {
  server = await startTestServer();
  acme = await server.company('acme');
  credentials = await acme.clientToken([
    'opportunities:read',
    'opportunities:write',
    'partners:read',
  ]);
});
afterAll(() => server.stop());

function requestToken(body: Record<string, string>, form = false) {
  return fetch(`${server.url}/api/v1/token`, {
    method: 'POST',
    headers: { 'content-type': form ? 'application/x-www-form-urlencoded' : 'application/json' },
    body: form ? new URLSearchParams(body).toString() : JSON.stringify(body),
  });
}

describe('POST /api/v1/token (client credentials)', () => {
  it('exchanges an id and secret for a token that acts as the client with its scopes', async () => {
    const res = await requestToken({
      grant_type: 'client_credentials',
      client_id: credentials.clientId,
      client_secret: credentials.secret,
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    const body = (await res.json()) as {
      access_token: string;
      token_type: string;
      expires_in: number;
      scope: string;
    };
    expect(body).toMatchObject({
      token_type: 'Bearer',
      expires_in: 900,
      scope: 'opportunities:read opportunities:write partners:read',
    });
    const me = await server.client(body.access_token).companies.me.query();
    expect(me.principal).toEqual({
      kind: 'client',
      id: credentials.clientId,
      scopes: ['opportunities:read', 'opportunities:write', 'partners:read'],
      // A member's name and email; an API client has neither.
      name: null,
      email: null,
    });
  });

  it('accepts a form body and narrows the token to the scopes asked for', async () => {
    const res = await requestToken(
      {
        client_id: credentials.clientId,
        client_secret: credentials.secret,
        scope: 'partners:read',
      },
      true,
    );
    const body = (await res.json()) as { access_token: string };
    expect((await server.client(body.access_token).companies.me.query()).principal.scopes).toEqual([
      'partners:read',
    ]);
  });

  it('refuses a scope the client was not granted', async () => {
    const res = await requestToken({
      client_id: credentials.clientId,
      client_secret: credentials.secret,
      scope: 'company:admin',
    });
    expect(res.status).toBe(403);
  });

  it('answers a wrong secret and an unknown client alike, with 401', async () => {
    const wrong = await requestToken({ client_id: credentials.clientId, client_secret: 'nope' });
    const unknown = await requestToken({ client_id: 'cli_unknown', client_secret: 'nope' });
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    const [w, u] = (await Promise.all([wrong.json(), unknown.json()])) as {
      error: { code: string; message: string };
    }[];
    expect(w!.error).toMatchObject({ code: 'CredentialsInvalid' });
    expect(u!.error.message).toBe(w!.error.message);
  });

  it('names missing fields', async () => {
    const res = await requestToken({ client_id: credentials.clientId });
    expect(res.status).toBe(400);
    expect(
      ((await res.json()) as { error: { issues: { path: string }[] } }).error.issues.map(
        (i) => i.path,
      ),
    ).toEqual(['client_secret']);
  });

  it('refuses a revoked client', async () => {
    const other = await acme.clientToken(['partners:read']);
    await server
      .client(await acme.memberToken('admin'))
      .clients.revoke.mutate({ clientId: other.clientId });
    expect(
      (await requestToken({ client_id: other.clientId, client_secret: other.secret })).status,
    ).toBe(401);
    expect(
      (
        await fetch(`${server.url}/trpc/companies.me`, {
          headers: { authorization: `Bearer ${other.token}` },
        })
      ).status,
    ).toBe(401);
  });

  it('rate-limits guessing with 429 and Retry-After', async () => {
    const statuses: number[] = [];
    let retryAfter: string | null = null;
    for (let i = 0; i < 25; i++) {
      const res = await requestToken({ client_id: 'cli_target', client_secret: `guess-${i}` });
      statuses.push(res.status);
      if (res.status === 429) retryAfter = res.headers.get('retry-after');
    }
    expect(statuses).toContain(429);
    expect(Number(retryAfter)).toBeGreaterThan(0);
  });
});

describe('GET /companies/<id>/.well-known/jwks.json', () => {
  it('publishes public keys only, and they verify the company tokens offline', async () => {
    const res = await fetch(`${server.url}/companies/${acme.id}/.well-known/jwks.json`);
    expect(res.status).toBe(200);
    const jwks = (await res.json()) as { keys: Record<string, unknown>[] };
    expect(jwks.keys.length).toBe(2);
    for (const key of jwks.keys) expect(key).not.toHaveProperty('d');
    const token = await acme.memberToken('viewer');
    const { payload } = await jwtVerify(token, createLocalJWKSet(jwks as never), {
      issuer: `http://tandem.test/companies/${acme.id}`,
      audience: 'http://tandem.test',
    });
    expect(payload.sub).toMatch(/^mem_/);
    expect(jwks.keys.map((k) => k.kid)).toContain(decodeProtectedHeader(token).kid);
  });

  it('answers 404 for an unknown company', async () => {
    expect((await fetch(`${server.url}/companies/co_nobody/.well-known/jwks.json`)).status).toBe(
      404,
    );
  });
});
