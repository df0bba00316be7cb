import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TandemClient } from '../../client/sdk/tandem-client.ts';
import { startTestServer, type TestCompany, type TestServer } from '../../test/kit/harness.ts';
import { refusal } from '../../test/kit/refusal.ts';
import { partnerPair } from '../../test/kit/fixtures.ts';

let server: TestServer;
let acme: TestCompany;
let a: TandemClient;
let b: TandemClient;

beforeAll(async () => {
  server = await startTestServer();
  ({ acme, a, b } = await partnerPair(server, { type: 'service' }));
  await a.accounts.upload.mutate({
    accounts: [
      { domain: 'https://www.Initech.com/', name: 'Initech', status: 'customer' },
      { domain: 'hooli.com', name: 'Hooli', status: 'opportunity' },
      { domain: 'acme-only.com', name: 'Ours alone', status: 'prospect' },
    ],
  });
  await b.accounts.upload.mutate({
    accounts: [
      { domain: 'initech.com', name: 'Initech Corp', status: 'opportunity', industry: 'Finance' },
      { domain: 'hooli.com', name: 'Hooli Inc', status: 'customer' },
      { domain: 'globex-secret.com', name: 'Their secret', status: 'customer' },
    ],
  });
});
afterAll(() => server.stop());

describe('account overlap', () => {
  it('refuses an upload with a bad row whole, naming the field', async () => {
    const error = await refusal(
      a.accounts.upload.mutate({
        accounts: [
          { domain: 'ok.com', name: 'Ok', status: 'customer' },
          { domain: 'not a domain', name: 'X', status: 'customer' },
        ],
      }),
    );
    expect(error.data).toMatchObject({ code: 'ValidationFailed' });
    expect(error.data?.issues?.map((i) => i.path)).toEqual(['accounts.1.domain']);
    expect((await a.accounts.summary.query()).counts).toEqual({
      customer: 1,
      opportunity: 1,
      prospect: 1,
    });
  });

  it('shows a partner nothing until the owner allows it', async () => {
    const seen = await a.accounts.overlap.query({ partner: 'globex' });
    expect(seen).toMatchObject({ theyShare: 'none', total: null, populations: [], accounts: [] });
  });

  it('under counts sharing, hides counts of fewer than five accounts, and every account', async () => {
    await b.accounts.setSharing.mutate({ partner: 'acme', level: 'counts' });
    const seen = await a.accounts.overlap.query({ partner: 'globex' });
    // Two overlaps, one per population pair: each count would name an account's status.
    expect(seen).toMatchObject({ theyShare: 'counts', minCount: 5, total: null, populations: [] });
    expect(seen.accounts).toEqual([]);
    expect(JSON.stringify(seen)).not.toContain('Initech Corp');
  });

  it('shows the overlapping accounts, and only those, when the owner shares accounts', async () => {
    await b.accounts.setSharing.mutate({ partner: 'acme', level: 'accounts' });
    const seen = await a.accounts.overlap.query({ partner: 'globex' });
    expect(seen.accounts.map((x) => [x.domain, x.theirStatus])).toEqual([
      ['hooli.com', 'customer'],
      ['initech.com', 'opportunity'],
    ]);
    expect(JSON.stringify(seen)).not.toContain('globex-secret');
    // The rule is one-way: acme shares nothing with globex.
    expect(await b.accounts.overlap.query({ partner: 'acme' })).toMatchObject({
      theyShare: 'none',
      iShare: 'accounts',
      accounts: [],
    });
  });

  it('answers NotFound for a company that is not a partner', async () => {
    await server.company('umbrella');
    expect((await refusal(a.accounts.overlap.query({ partner: 'umbrella' }))).data?.code).toBe(
      'NotFound',
    );
    expect(
      (await refusal(a.accounts.setSharing.mutate({ partner: 'umbrella', level: 'accounts' }))).data
        ?.code,
    ).toBe('NotFound');
  });

  it('lets a viewer read the overlap but not upload', async () => {
    const viewer = server.client(await acme.memberToken('viewer'));
    expect((await viewer.accounts.overlap.query({ partner: 'globex' })).total).toBe(2);
    expect(
      (
        await refusal(
          viewer.accounts.upload.mutate({
            accounts: [{ domain: 'x.com', name: 'X', status: 'customer' }],
          }),
        )
      ).data?.code,
    ).toBe('Forbidden');
  });
});
