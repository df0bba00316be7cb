import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TandemClient } from '../../client/sdk/tandem-client.ts';
import { partnerPair } from '../../test/kit/fixtures.ts';
import { startTestServer, type TestServer } from '../../test/kit/harness.ts';
import { refusal } from '../../test/kit/refusal.ts';
import { overlapPolicy } from './overlap-policy.ts';

/** Under `counts` sharing a partner learns how many accounts overlap, never which ones. */

let server: TestServer;
let a: TandemClient;
let b: TandemClient;

const account = (domain: string, status = 'customer') => ({ domain, name: domain, status });
const overlap = () => a.accounts.overlap.query({ partner: 'globex' });
// What A may compare between two answers: everything but the caller's own side.
const visible = (o: Awaited<ReturnType<typeof overlap>>) => ({
  total: o.total,
  populations: o.populations,
  accounts: o.accounts,
});

beforeAll(async () => {
  server = await startTestServer();
  ({ a, b } = await partnerPair(server, { type: 'service' }));
  const shared = Array.from({ length: overlapPolicy.minCount }, (_, n) => account(`both${n}.com`));
  await b.accounts.upload.mutate({
    accounts: [...shared, account('target.com', 'opportunity'), account('other.com', 'prospect')],
  });
  await b.accounts.setSharing.mutate({ partner: 'acme', level: 'counts' });
  await a.accounts.upload.mutate({ accounts: shared });
});
afterAll(() => server.stop());

describe('the overlap under counts sharing', () => {
  it('shows a count that covers enough accounts, and hides the pairs that do not', async () => {
    await a.accounts.upload.mutate({ accounts: [account('other.com', 'opportunity')] });
    const seen = await overlap();
    expect(seen.total).toBe(overlapPolicy.minCount + 1);
    expect(seen.populations).toEqual([
      { mine: 'customer', theirs: 'customer', count: overlapPolicy.minCount },
    ]);
    expect(seen.accounts).toEqual([]);
  });

  it('answers a one-domain list alike whether or not the partner holds that account', async () => {
    await a.accounts.upload.mutate({ accounts: [account('target.com')], replace: true });
    const held = visible(await overlap());
    await a.accounts.upload.mutate({ accounts: [account('not-theirs.com')], replace: true });
    const notHeld = visible(await overlap());
    expect(held).toEqual(notHeld);
    expect(held).toEqual({ total: null, populations: [], accounts: [] });
  });

  it('limits list uploads and overlap queries per day', async () => {
    const uploads = [];
    for (let n = 0; n < overlapPolicy.uploadsPerDay + 1; n++)
      uploads.push(
        await a.accounts.upload
          .mutate({ accounts: [account(`probe${n}.com`)], replace: true })
          .then(
            () => 'ok',
            (e: unknown) => e,
          ),
      );
    const refusedUpload = uploads.find((u) => u !== 'ok');
    expect(refusedUpload).toBeDefined();
    expect((await refusal(Promise.reject(refusedUpload))).data?.code).toBe('RateLimited');

    let refusedQuery: unknown;
    for (let n = 0; n <= overlapPolicy.queriesPerDayPerPartner && !refusedQuery; n++)
      refusedQuery = await overlap().then(
        () => undefined,
        (e: unknown) => e,
      );
    expect((await refusal(Promise.reject(refusedQuery))).data?.code).toBe('RateLimited');
  });
});
