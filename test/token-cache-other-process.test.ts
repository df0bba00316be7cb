import { decodeJwt } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../server/store/db.ts';
import { openPostgres } from '../server/store/postgres/open.ts';
import { openDatabase } from '../server/store/sqlite/db.ts';
import { insertRevocation } from '../server/tenants/tokens/revocation.repository.ts';
import { startTestServer, type TestCompany, type TestServer } from './kit/harness.ts';
import { restApi } from './kit/rest-api.ts';
import { postgresEnvOf } from './kit/stores.ts';
import { sleep } from './kit/sleep.ts';

/**
 * A running server caches verified tokens; a revocation committed by another process (the CLI,
 * another instance) must still reach it: through SQLite's data_version, or PostgreSQL's notify.
 */
let server: TestServer;
let acme: TestCompany;
let other: Db;

beforeAll(async () => {
  server = await startTestServer();
  acme = await server.company('acme');
  // A connection of its own, as another process would have.
  const url = postgresEnvOf(server.dataDir)?.TANDEM_DATABASE_URL;
  other = url ? openPostgres(url, 1) : openDatabase(server.dataDir);
});
afterAll(async () => {
  await other.destroy();
  await server.stop();
});

describe('the verified-token cache', () => {
  it('refuses a cached token soon after another process revokes it', async () => {
    const token = await acme.memberToken('seller');
    const call = restApi(server.url, token);
    expect((await call('GET', '/opportunities')).status).toBe(200);
    expect((await call('GET', '/opportunities')).status).toBe(200);
    const { iss, jti } = decodeJwt(token);
    await insertRevocation(
      other,
      { companyId: acme.id },
      {
        issuer: iss!,
        jti: jti!,
        expiresAt: new Date(Date.now() + 3_600_000).toISOString(),
        revokedAt: new Date().toISOString(),
      },
    );
    let status = 200;
    for (let i = 0; i < 40 && status === 200; i++) {
      status = (await call('GET', '/opportunities')).status;
      if (status === 200) await sleep(50);
    }
    expect(status).toBe(401);
  });
});
