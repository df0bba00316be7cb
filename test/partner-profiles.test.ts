import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TandemClient } from '../client/sdk/tandem-client.ts';
import { startTestServer, type TestServer } from './kit/harness.ts';
import { refusal } from './kit/refusal.ts';

let server: TestServer;
let acme: TandemClient;
const today = new Date().toISOString().slice(0, 10);

/** acme with four resellers r1…r4 (r1…r4 won 1…4 deals with it) and r5 invited (a candidate). */
beforeAll(async () => {
  server = await startTestServer();
  const company = await server.company('acme');
  acme = server.client(await company.memberToken('admin'));
  await acme.accounts.upload.mutate({
    accounts: [
      { domain: 'a.example', name: 'A', status: 'customer' },
      { domain: 'b.example', name: 'B', status: 'customer' },
    ],
  });
  for (let k = 1; k <= 5; k++) {
    const slug = `r${k}`;
    const partner = server.client(await (await server.company(slug)).memberToken('admin'));
    const invite = await acme.partnerships.invite.mutate({
      partner: slug,
      partnerType: 'reseller',
    });
    if (k === 5) continue;
    await partner.partnerships.accept.mutate({ partnershipId: invite.id });
    for (let n = 0; n < k; n++) {
      const deal = await acme.opportunities.create.mutate({
        fields: {
          title: `${slug} deal ${n}`,
          customer: { name: 'C', segment: n % 2 === 0 ? 'enterprise' : 'smb' },
          amountMinor: 1_000_000,
          currency: 'USD',
          motion: 'resell',
          stage: 'won',
          closeDate: today,
        },
        shareWith: [{ partner: slug, role: 'reseller' }],
      });
      await partner.opportunities.accept.mutate({ id: deal.id });
    }
    if (k === 1) {
      await partner.accounts.upload.mutate({
        accounts: [{ domain: 'a.example', name: 'A', status: 'prospect' }],
      });
      await partner.accounts.setSharing.mutate({ partner: 'acme', level: 'counts' });
    }
    await acme.partnerProfiles.setValues.mutate({
      subject: slug,
      values: { certified_staff: k / 4 },
    });
  }
  await acme.partnerProfiles.set.mutate({
    partnerType: 'reseller',
    dimensions: [
      { key: 'account_overlap', weight: 1 },
      { key: 'segment_fit', weight: 1 },
      { key: 'motion_fit', weight: 1 },
      { key: 'selling_capacity', weight: 1 },
      { key: 'certified_staff', weight: 1 },
    ],
    thresholds: { recruit: 0.6, nurture: 0.3 },
    targetSegments: ['enterprise'],
    capacityTarget: 4,
  });
});
afterAll(() => server.stop());

describe('partner profiles', () => {
  it('keeps one profile per partner type and refuses inconsistent thresholds', async () => {
    expect((await acme.partnerProfiles.list.query()).map((p) => p.partnerType)).toEqual([
      'reseller',
    ]);
    const error = await refusal(
      acme.partnerProfiles.set.mutate({
        partnerType: 'oem',
        dimensions: [{ key: 'motion_fit', weight: 1 }],
        thresholds: { recruit: 0.3, nurture: 0.6 },
      }),
    );
    expect(error.data?.issues?.map((i) => i.path)).toEqual(['thresholds.nurture']);
  });

  it('scores partners and candidates and buckets them, unknown where nothing is shared', async () => {
    const scored = await acme.partnerProfiles.score.query();
    const of = (slug: string) => scored.find((s) => s.company.slug === slug)!;
    expect(scored.map((s) => s.company.slug).sort()).toEqual(['r1', 'r2', 'r3', 'r4', 'r5']);
    // r4: overlap unknown (0), segment 2 of 4 enterprise, motion 1, capacity 4/4, certified 1.
    expect(of('r4').score).toBeCloseTo((0 + 0.5 + 1 + 1 + 1) / 5, 10);
    expect(of('r4').bucket).toBe('recruit');
    expect(of('r4').unknown).toEqual(['account_overlap']);
    // r1 shares counts: its overlap (1 account) is the largest, so 1.
    expect(of('r1').values.account_overlap).toBe(1);
    expect(of('r1').score).toBeCloseTo((1 + 1 + 1 + 0.25 + 0.25) / 5, 10);
    expect(of('r1').bucket).toBe('recruit');
    expect(of('r5').company.status).toBe('candidate');
    expect(of('r5').bucket).toBe('pass');
    expect(of('r5').unknown).toEqual(
      expect.arrayContaining(['account_overlap', 'segment_fit', 'motion_fit', 'selling_capacity']),
    );
  });

  it('reviews scores against production and proposes more weight where it predicts', async () => {
    const review = await acme.partnerProfiles.review.query({ partnerType: 'reseller' });
    expect(review.partners.map((p) => [p.company.slug, p.production])).toEqual([
      ['r4', 40_000],
      ['r3', 30_000],
      ['r2', 20_000],
      ['r1', 10_000],
    ]);
    const dim = (k: string) => review.dimensions.find((d) => d.key === k)!;
    expect(dim('certified_staff').correlation).toBeCloseTo(1, 10);
    expect(dim('certified_staff').proposed).toBeGreaterThan(1);
    expect(dim('account_overlap').proposed).toBeLessThan(1);
  });

  it('refuses hand-set values for a company that is neither partner nor candidate', async () => {
    await server.company('stranger');
    const error = await refusal(
      acme.partnerProfiles.setValues.mutate({ subject: 'stranger', values: { x: 1 } }),
    );
    expect(error.data?.code).toBe('NotFound');
  });
});
