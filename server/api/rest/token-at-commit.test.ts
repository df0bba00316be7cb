import { decodeJwt } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DealPage } from '../../../shared/opportunities/deal-view.schema.ts';
import { insertRevocation } from '../../tenants/tokens/revocation.repository.ts';
import { startTestServer, type TestCompany, type TestServer } from '../../../test/kit/harness.ts';
import { slowPost } from '../../../test/kit/slow-request.ts';
import { restApi, type RestErrorBody } from '../../../test/kit/rest-api.ts';

/**
 * A REST write verifies its token once, before its body is read; the write re-checks it when it
 * runs, so a token revoked in between (while the body uploads, or while the write queues behind
 * others) writes nothing.
 */

let server: TestServer;
let acme: TestCompany;

function deal(title: string) {
  return { fields: { title, customer: { name: 'Initech' }, amountMinor: 1, currency: 'EUR' } };
}

/** Counted by an admin of the company: the refused token can no longer look. */
async function dealsTitled(title: string): Promise<number> {
  const admin = restApi(server.url, await acme.memberToken('admin'));
  const page = await admin<DealPage>('GET', `/opportunities?q=${encodeURIComponent(title)}`);
  return page.body.items.filter((d) => d.summary.title === title).length;
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

beforeAll(async () => {
  server = await startTestServer();
  acme = await server.company('acme');
});
afterAll(() => server.stop());

/**
 * Holds the write queue with a write that revokes `token` once released, so a request sent
 * meanwhile is verified before the revocation and written after it.
 */
async function holdWritesThenRevoke(token: string): Promise<{ release(): Promise<void> }> {
  let release!: () => void;
  let revoked!: Promise<void>;
  await new Promise<void>((opened) => {
    revoked = server.deps.writes.run(async (trx) => {
      opened();
      await new Promise<void>((r) => (release = r));
      const { iss, jti } = decodeJwt(token);
      await insertRevocation(
        trx,
        { companyId: acme.id },
        {
          issuer: iss!,
          jti: jti!,
          expiresAt: new Date(Date.now() + 3_600_000).toISOString(),
          revokedAt: new Date().toISOString(),
        },
      );
      server.deps.tokenCache.invalidate();
    });
  });
  return {
    release: async () => {
      await pause(300);
      release();
      await revoked;
    },
  };
}

describe('a REST write whose token is revoked after it was verified', () => {
  it('is refused when the token is revoked while the write waits in the queue', async () => {
    const token = await acme.memberToken('seller');
    const call = restApi(server.url, token);
    // Verified once now, so the write's own verification is a cache hit and needs no database.
    expect((await call('GET', '/opportunities')).status).toBe(200);
    const held = await holdWritesThenRevoke(token);
    const queued = call<RestErrorBody>('POST', '/opportunities', { body: deal('Queued past') });
    await held.release();
    const answer = await queued;
    expect(answer.status).toBe(401);
    expect(answer.body.error.code).toBe('TokenInvalid');
    expect(await dealsTitled('Queued past')).toBe(0);
  });

  it('keeps no 401 under an Idempotency-Key, so the retry with a fresh token writes the deal', async () => {
    const token = await acme.memberToken('seller');
    const headers = { 'idempotency-key': 'revoked-then-retried' };
    const held = await holdWritesThenRevoke(token);
    const queued = restApi(server.url, token)<RestErrorBody>('POST', '/opportunities', {
      body: deal('Retried fresh'),
      headers,
    });
    await held.release();
    expect((await queued).status).toBe(401);
    const fresh = restApi(server.url, await acme.memberToken('seller'));
    const retried = await fresh('POST', '/opportunities', { body: deal('Retried fresh'), headers });
    expect(retried.status).toBe(201);
    expect(await dealsTitled('Retried fresh')).toBe(1);
  });

  it('is refused when the token is revoked while the body uploads', async () => {
    const token = await acme.memberToken('seller');
    const body = JSON.stringify(deal('Uploaded past'));
    const slow = slowPost(
      `${server.url}/api/v1/opportunities`,
      { authorization: `Bearer ${token}` },
      body,
      10,
    );
    await pause(200);
    await server.client(token).tokens.revokeCurrent.mutate();
    slow.finish();
    const answer = await slow.answered;
    expect(answer.status).toBe(401);
    expect((JSON.parse(answer.text) as RestErrorBody).error.code).toBe('TokenInvalid');
    expect(await dealsTitled('Uploaded past')).toBe(0);
  });
});
