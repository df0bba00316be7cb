import { TRPCClientError } from '@trpc/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TandemClient } from '../client/sdk/tandem-client.ts';
import { startTestServer, type TestCompany, type TestServer } from './kit/harness.ts';
import { partnerPair } from './kit/fixtures.ts';

let server: TestServer;
let acme: TestCompany;
let globex: TestCompany;
let a: TandemClient;
let b: TandemClient;
let dealId: string;

const fields = {
  title: 'Data platform migration',
  customer: {
    name: 'Initech',
    domain: 'https://www.Initech.com/about',
    country: 'us',
    segment: 'enterprise' as const,
    industry: 'Finance',
  },
  amountMinor: 12_500_000,
  currency: 'USD',
  stage: 'prospect' as const,
  expectedCloseDate: '2027-03-31',
  products: ['warehouse'],
  motion: 'co_sell' as const,
  helpRequested: ['technical_consultation' as const],
  contacts: [{ name: 'Peter Gibbons', email: 'peter@initech.com' }],
  notes: 'Budget approved in Q4.',
};

async function refused(
  p: Promise<unknown>,
): Promise<{ code: string; httpStatus: number; issues?: { path: string }[]; details?: unknown }> {
  const error = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(TRPCClientError);
  return (error as TRPCClientError<never>).data as never;
}

beforeAll(async () => {
  server = await startTestServer();
  ({ acme, globex, a, b } = await partnerPair(server, { type: 'reseller' }));
});
afterAll(() => server.stop());

describe('a shared deal, worked by two companies', () => {
  it('creates a deal with a private CRM id and invites the partner, who sees only the summary', async () => {
    const created = await a.opportunities.create.mutate({
      fields,
      externalRef: 'SF-0001',
      shareWith: [{ partner: 'globex', role: 'co_seller' }],
    });
    dealId = created.id;
    expect(created.fields?.customer.domain).toBe('initech.com');
    expect(created.externalRef).toBe('SF-0001');
    expect(created.firstDeal).toBe(true);

    const invited = await b.opportunities.get.query({ id: dealId });
    expect(invited.access).toBe('summary');
    expect(invited.fields).toBeNull();
    expect(invited.history).toEqual([]);
    expect(invited.externalRef).toBeNull();
    const text = JSON.stringify(invited);
    for (const withheld of ['12500000', 'peter@initech.com', 'Budget approved', 'SF-0001'])
      expect(text).not.toContain(withheld);
    expect(invited.summary).toMatchObject({
      title: fields.title,
      customer: { name: 'Initech', industry: 'Finance' },
      stage: 'prospect',
    });

    expect(
      (await refused(b.opportunities.update.mutate({ id: dealId, patch: { nextStep: 'x' } }))).code,
    ).toBe('Forbidden');
  });

  it('lets the partner accept, and then both see the same deal', async () => {
    await b.opportunities.accept.mutate({ id: dealId });
    const [fromA, fromB] = await Promise.all([
      a.opportunities.get.query({ id: dealId }),
      b.opportunities.get.query({ id: dealId }),
    ]);
    expect(fromB.access).toBe('full');
    expect(fromB.fields).toEqual(fromA.fields);
    expect(fromB.version).toBe(fromA.version);
    expect(fromB.participants).toEqual(fromA.participants);
    expect(fromB.externalRef).toBeNull();
    expect(fromB.sponsorsNeeded.sort()).toEqual([acme.id, globex.id].sort());
  });

  it('applies partial updates from both sides and refuses a stale version with the current state', async () => {
    const v = (await a.opportunities.get.query({ id: dealId })).version;
    const afterA = await a.opportunities.update.mutate({
      id: dealId,
      patch: { stage: 'qualified' },
      expectedVersion: v,
    });
    expect(afterA.version).toBe(v + 1);
    const afterB = await b.opportunities.update.mutate({
      id: dealId,
      patch: { nextStep: 'Joint discovery call' },
    });
    expect(afterB.fields).toMatchObject({
      stage: 'qualified',
      nextStep: 'Joint discovery call',
      amountMinor: 12_500_000,
    });
    const stale = await refused(
      a.opportunities.update.mutate({ id: dealId, patch: { amountMinor: 1 }, expectedVersion: v }),
    );
    expect(stale.code).toBe('PreconditionFailed');
    expect(stale.httpStatus).toBe(412);
    expect(stale.details).toMatchObject({ id: dealId, version: afterB.version });
    expect((await a.opportunities.get.query({ id: dealId })).fields?.amountMinor).toBe(12_500_000);
  });

  it('names each bad field and writes nothing', async () => {
    const before = await a.opportunities.get.query({ id: dealId });
    const bad = await refused(
      a.opportunities.update.mutate({
        id: dealId,
        patch: { amountMinor: 10.5, currency: 'XYZ' } as never,
      }),
    );
    expect(bad.httpStatus).toBe(400);
    expect(bad.issues?.map((i) => i.path).sort()).toEqual(['patch.amountMinor', 'patch.currency']);
    const won = await refused(
      a.opportunities.update.mutate({ id: dealId, patch: { stage: 'won' } }),
    );
    expect(won.issues?.map((i) => i.path)).toContain('closeDate');
    expect((await a.opportunities.get.query({ id: dealId })).version).toBe(before.version);
  });

  it('keeps a mutual plan of co-sell steps owned by either company', async () => {
    const step = await a.steps.add.mutate({
      dealId,
      step: {
        play: 'joint_qualification',
        ownerCompanyId: globex.id,
        ownerPerson: 'Gus',
        dueDate: '2027-01-15',
      },
    });
    expect(step.status).toBe('todo');
    const done = await b.steps.update.mutate({
      dealId,
      stepId: step.id,
      patch: { status: 'done', outcome: 'Qualified: budget and timeline confirmed' },
    });
    expect(done).toMatchObject({ status: 'done', ownerCompanyId: globex.id });
    const stranger = await server.company('umbrella');
    const bad = await refused(
      a.steps.add.mutate({ dealId, step: { play: 'intro', ownerCompanyId: stranger.id } }),
    );
    expect(bad.issues?.[0]?.path).toBe('ownerCompanyId');
  });

  it('records a move backwards, closes as won with a close date, and adds the first-deal debrief', async () => {
    await b.opportunities.update.mutate({ id: dealId, patch: { stage: 'prospect' } });
    await a.opportunities.setSponsor.mutate({ id: dealId, sponsor: 'Ada (CRO)' });
    await b.opportunities.setSponsor.mutate({ id: dealId, sponsor: 'Gus (VP Sales)' });
    const won = await a.opportunities.update.mutate({
      id: dealId,
      patch: { stage: 'won', closeDate: '2026-11-20' },
    });
    expect(won.status).toBe('won');
    expect(won.sponsorsNeeded).toEqual([]);
    const detail = await b.opportunities.get.query({ id: dealId });
    expect(detail.steps.filter((s) => s.play === 'debrief')).toHaveLength(1);
    const backward = detail.history.find(
      (h) => h.type === 'opportunity.updated' && (h.data as { backward?: boolean }).backward,
    );
    expect(backward?.author.companySlug).toBe('globex');
    expect(detail.history.every((h) => h.type !== 'opportunity.ref_set')).toBe(true);
    const mine = await a.opportunities.get.query({ id: dealId });
    expect(mine.history.some((h) => h.type === 'opportunity.ref_set')).toBe(true);
  });

  it('treats the same push twice as no change', async () => {
    const first = await a.opportunities.upsert.mutate({
      externalRef: 'SF-0002',
      fields: { ...fields, title: 'Second deal' },
    });
    const again = await a.opportunities.upsert.mutate({
      externalRef: 'SF-0002',
      fields: { ...fields, title: 'Second deal' },
    });
    expect(again.id).toBe(first.id);
    expect(again.version).toBe(first.version);
    const changed = await a.opportunities.upsert.mutate({
      externalRef: 'SF-0002',
      fields: { ...fields, title: 'Second deal', amountMinor: 99 },
    });
    expect(changed.version).toBe(first.version + 1);
  });

  it('flags a push that matches an open shared deal as a possible duplicate, visible to both sides', async () => {
    const original = await a.opportunities.create.mutate({
      fields: { ...fields, title: 'Analytics rollout' },
      shareWith: [{ partner: 'globex', role: 'reseller' }],
    });
    await b.opportunities.accept.mutate({ id: original.id });
    const twin = await b.opportunities.upsert.mutate({
      externalRef: 'GX-9',
      fields: {
        ...fields,
        title: 'analytics ROLLOUT',
        customer: { name: 'Initech Corp', domain: 'initech.com' },
      },
    });
    expect(twin.possibleDuplicates.map((d) => d.deal?.id)).toEqual([original.id]);
    // Acme takes no part in globex's twin: it learns that one exists, and nothing of it.
    const seen = await a.opportunities.get.query({ id: original.id });
    expect(seen.possibleDuplicates).toEqual([
      { deal: null, reasons: [], flaggedAt: expect.any(String) },
    ]);
    expect(JSON.stringify(seen)).not.toContain(twin.id);
  });

  it('removes a participant, who loses access at once', async () => {
    const deal = await a.opportunities.create.mutate({
      fields: { ...fields, title: 'Short-lived' },
      shareWith: [{ partner: 'globex', role: 'influencer' }],
    });
    await b.opportunities.accept.mutate({ id: deal.id });
    await a.opportunities.removeParticipant.mutate({ id: deal.id, companyId: globex.id });
    expect((await refused(b.opportunities.get.query({ id: deal.id }))).code).toBe('NotFound');
    const listed = await b.opportunities.list.query({ limit: 200 });
    expect(listed.items.map((d) => d.id)).not.toContain(deal.id);
    const feed = await b.ledger.feed.query({ limit: 1000 });
    expect(feed.events.some((e) => e.dealId === deal.id)).toBe(false);
  });

  it('declining an invitation removes access too', async () => {
    const deal = await a.opportunities.create.mutate({
      fields: { ...fields, title: 'Not for us' },
      shareWith: [{ partner: 'globex', role: 'co_seller' }],
    });
    await b.opportunities.decline.mutate({
      id: deal.id,
      reason: 'unable_to_support',
      note: 'No capacity this quarter',
    });
    expect((await refused(b.opportunities.get.query({ id: deal.id }))).code).toBe('NotFound');
    const seen = await a.opportunities.get.query({ id: deal.id });
    expect(seen.history.find((h) => h.type === 'participant.declined')?.data).toMatchObject({
      reason: 'unable_to_support',
    });
  });

  it('refuses to share with a company that is not an active partner', async () => {
    await server.company('hooli');
    const bad = await refused(
      a.opportunities.create.mutate({
        fields,
        shareWith: [{ partner: 'hooli', role: 'co_seller' }],
      }),
    );
    expect(bad.code).toBe('InvalidState');
    expect(
      (await a.opportunities.list.query({ q: 'Data platform', limit: 50 })).items,
    ).toHaveLength(1);
    // The search ignores case, on either store.
    expect(
      (await a.opportunities.list.query({ q: 'data PLATFORM', limit: 50 })).items,
    ).toHaveLength(1);
  });

  it('lists with filters and a stable cursor', async () => {
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await a.opportunities.list.query({
        limit: 2,
        sort: 'createdAt',
        order: 'asc',
        ...(cursor ? { cursor } : {}),
      });
      seen.push(...page.items.map((d) => d.id));
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    expect(new Set(seen).size).toBe(seen.length);
    const all = await a.opportunities.list.query({ limit: 200 });
    expect(seen.sort()).toEqual(all.items.map((d) => d.id).sort());
    const won = await a.opportunities.list.query({ status: ['won'] });
    expect(won.items.map((d) => d.id)).toEqual([dealId]);
    const withPartner = await a.opportunities.list.query({
      partner: globex.id,
      amountMin: 12_000_000,
      limit: 200,
    });
    expect(withPartner.items.every((d) => (d.fields?.amountMinor ?? 0) >= 12_000_000)).toBe(true);
  });

  it('feeds each company the events it may see, in order, with the other company private ids left out', async () => {
    const feed = await b.ledger.feed.query({ limit: 1000 });
    expect(new Set(feed.events.map((e) => e.id)).size).toBe(feed.events.length);
    // Paged three at a time from each page's cursor, the same events in the same order.
    const paged: string[] = [];
    for (let after: string | undefined; ;) {
      const page = await b.ledger.feed.query({ ...(after ? { after } : {}), limit: 3 });
      if (page.events.length === 0) break;
      paged.push(...page.events.map((e) => e.id));
      after = page.events.at(-1)!.cursor;
    }
    expect(paged).toEqual(feed.events.map((e) => e.id));
    expect(JSON.stringify(feed.events)).not.toContain('SF-000');
    const next = await b.ledger.feed.query({ after: feed.nextCursor });
    expect(next.events).toEqual([]);
  });
});
