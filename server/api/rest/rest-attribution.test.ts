import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { partnerPair, type PartnerPair } from '../../../test/kit/fixtures.ts';
import { startTestServer, type TestServer } from '../../../test/kit/harness.ts';
import { restApi, type RestCall, type RestErrorBody } from '../../../test/kit/rest-api.ts';

/** Attribution over REST: the deal's If-Match on a proposal, and refusals that name their field. */

let server: TestServer;
let pair: PartnerPair;
let acme: RestCall;
let dealId: string;
let version: string;

beforeAll(async () => {
  server = await startTestServer();
  pair = await partnerPair(server, { role: 'admin' });
  acme = restApi(server.url, await pair.acme.memberToken('admin'));
  const created = await acme<{ id: string }>('POST', '/opportunities', {
    body: {
      fields: {
        title: 'Won alone',
        customer: { name: 'Initech' },
        amountMinor: 900,
        currency: 'EUR',
        stage: 'won',
        closeDate: '2026-03-01',
      },
    },
  });
  dealId = created.body.id;
  version = created.headers.get('etag')!;
});
afterAll(() => server.stop());

const split = (bps: number) => ({ splits: [{ companyId: pair.acme.id, kind: 'sourced', bps }] });

describe('attribution over REST', () => {
  it('refuses a proposal whose If-Match names an older version of the deal, with 412', async () => {
    await acme('PATCH', `/opportunities/${dealId}`, { body: { title: 'Won alone, renamed' } });
    const stale = await acme<RestErrorBody>('POST', `/opportunities/${dealId}/attribution`, {
      body: split(10_000),
      headers: { 'if-match': version },
    });
    expect(stale.status).toBe(412);
    expect(stale.body.error.code).toBe('PreconditionFailed');
  });

  it('names the bad field of a proposal body', async () => {
    const answer = await acme<RestErrorBody>('POST', `/opportunities/${dealId}/attribution`, {
      body: split(9_000),
    });
    expect(answer.status).toBe(400);
    expect(answer.body.error.issues?.map((i) => i.path)).toContain('splits');
  });

  it('proposes with 201 and names a version in the path that is not a number', async () => {
    const proposed = await acme('POST', `/opportunities/${dealId}/attribution`, {
      body: split(10_000),
    });
    expect(proposed.status).toBe(201);
    const answer = await acme<RestErrorBody>(
      'POST',
      `/opportunities/${dealId}/attribution/first/sign`,
    );
    expect(answer.status).toBe(400);
    expect(answer.body.error.issues?.map((i) => i.path)).toEqual(['version']);
  });

  it("answers a partner's signature of a deal it is not in with 404, and a viewer's with 403", async () => {
    const globex = restApi(server.url, await pair.globex.memberToken('admin'));
    const outsider = await globex('POST', `/opportunities/${dealId}/attribution/1/sign`);
    expect(outsider.status).toBe(404);
    const viewer = restApi(server.url, await pair.acme.memberToken('viewer'));
    const refused = await viewer<RestErrorBody>(
      'POST',
      `/opportunities/${dealId}/attribution/1/sign`,
    );
    expect(refused.status).toBe(403);
    const sealed = await acme<{ sealed: { version: number } | null }>(
      'POST',
      `/opportunities/${dealId}/attribution/1/sign`,
    );
    expect(sealed.body.sealed?.version).toBe(1);
  });
});
