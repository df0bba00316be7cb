import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TandemClient } from '../client/sdk/tandem-client.ts';
import { rebuildDealProjections } from '../server/opportunities/rebuild-projections.ts';
import { startTestServer, type TestCompany, type TestServer } from './kit/harness.ts';
import { refusal } from './kit/refusal.ts';

/**
 * Possible duplicates as each company sees them (titles, owners, why they match; nothing of a
 * deal it takes no part in), and the three ways to resolve a pair: merge, link, dismiss. Each is
 * a ledger event on both deals, idempotent, and checked per company.
 */

let server: TestServer;
let acme: TestCompany;
let globex: TestCompany;
let hooli: TestCompany;
let a: TandemClient;
let g: TandemClient;
let h: TandemClient;

const fields = (title: string, domain = 'initech.com') => ({
  title,
  customer: { name: 'Initech', domain },
  amountMinor: 4_200_000,
  currency: 'EUR',
  stage: 'qualified' as const,
  expectedCloseDate: '2027-01-29',
});

async function partners(x: TestCompany, y: TestCompany) {
  const invite = await server
    .client(await x.memberToken('admin'))
    .partnerships.invite.mutate({ partner: y.slug, partnerType: 'reseller' });
  await server
    .client(await y.memberToken('admin'))
    .partnerships.accept.mutate({ partnershipId: invite.id });
}

/** A deal of acme's shared with globex (accepted), and globex's twin of it shared back (accepted). */
async function sharedTwins(title: string, domain: string) {
  const kept = await a.opportunities.create.mutate({
    fields: fields(title, domain),
    shareWith: [{ partner: globex.slug, role: 'co_seller' }],
  });
  await g.opportunities.accept.mutate({ id: kept.id });
  const twin = await g.opportunities.create.mutate({
    fields: { ...fields(title.toUpperCase(), domain) },
    shareWith: [{ partner: acme.slug, role: 'co_seller' }],
  });
  await a.opportunities.accept.mutate({ id: twin.id });
  return { acmeDeal: kept.id, globexDeal: twin.id };
}

beforeAll(async () => {
  server = await startTestServer();
  acme = await server.company('acme');
  globex = await server.company('globex');
  hooli = await server.company('hooli');
  await partners(acme, globex);
  await partners(globex, hooli);
  a = server.client(await acme.memberToken('seller'));
  g = server.client(await globex.memberToken('seller'));
  h = server.client(await hooli.memberToken('seller'));
});
afterAll(() => server.stop());

const eventsOf = async (client: TandemClient, id: string) =>
  (await client.opportunities.get.query({ id })).history.map((e) => e.type);

describe('possible duplicates', () => {
  it('name the other deal by its title, customer and owner, and say why they match', async () => {
    const { acmeDeal, globexDeal } = await sharedTwins('Analytics rollout', 'initech.com');
    const seenByGlobex = await g.opportunities.get.query({ id: globexDeal });
    expect(seenByGlobex.possibleDuplicates).toEqual([
      {
        deal: {
          id: acmeDeal,
          title: 'Analytics rollout',
          access: 'full',
          customer: { name: 'Initech', domain: 'initech.com' },
          owner: { id: acme.id, name: acme.name },
          companies: [
            { id: acme.id, name: acme.name },
            { id: globex.id, name: globex.name },
          ],
          stage: 'qualified',
          status: 'open',
          amountMinor: 4_200_000,
          currency: 'EUR',
          expectedCloseDate: '2027-01-29',
        },
        reasons: [
          'same_customer_domain',
          'same_title',
          'same_customer_name',
          'same_amount',
          'same_expected_close_date',
        ],
        flaggedAt: expect.any(String),
      },
    ]);
    // Both ways round, and in the list too.
    const seenByAcme = await a.opportunities.get.query({ id: acmeDeal });
    expect(seenByAcme.possibleDuplicates.map((d) => [d.deal?.title, d.deal?.owner.name])).toEqual([
      ['ANALYTICS ROLLOUT', globex.name],
    ]);
    const listed = await a.opportunities.list.query({ limit: 200 });
    expect(listed.items.find((d) => d.id === acmeDeal)?.possibleDuplicates).toHaveLength(1);
  });

  it('say a twin exists in a deal the caller takes no part in, and nothing of it', async () => {
    const { acmeDeal } = await sharedTwins('Hidden twin', 'hidden.example');
    // Globex registers a third copy and shares it with hooli only: acme is not in it.
    const secret = await g.opportunities.create.mutate({
      fields: { ...fields('Hidden twin', 'hidden.example'), notes: 'globex and hooli only' },
      shareWith: [{ partner: hooli.slug, role: 'co_seller' }],
    });
    await h.opportunities.accept.mutate({ id: secret.id });
    const view = await a.opportunities.get.query({ id: acmeDeal });
    const hidden = view.possibleDuplicates.filter((d) => d.deal === null);
    expect(hidden).toEqual([{ deal: null, reasons: [], flaggedAt: expect.any(String) }]);
    const json = JSON.stringify(await a.opportunities.list.query({ limit: 200 }));
    expect(JSON.stringify(view) + json).not.toContain(secret.id);
    expect(JSON.stringify(view) + json).not.toContain(hooli.id);
    // Acme cannot act on a pair with a deal it does not see: as if the deal did not exist.
    // One at a time (a promise made early could be refused before it is awaited).
    for (const call of [
      () => a.opportunities.dismissDuplicate.mutate({ id: acmeDeal, otherId: secret.id }),
      () => a.opportunities.linkDuplicate.mutate({ id: acmeDeal, otherId: secret.id }),
      () => a.opportunities.mergeDuplicate.mutate({ id: acmeDeal, duplicateId: secret.id }),
      () => a.opportunities.mergeDuplicate.mutate({ id: secret.id, duplicateId: acmeDeal }),
    ])
      expect((await refusal(call())).data).toMatchObject({ code: 'NotFound', httpStatus: 404 });
    // Globex, in both, dismisses it; acme then sees no hidden twin.
    await g.opportunities.dismissDuplicate.mutate({ id: acmeDeal, otherId: secret.id });
    const after = await a.opportunities.get.query({ id: acmeDeal });
    expect(after.possibleDuplicates.filter((d) => d.deal === null)).toEqual([]);
    expect(after.history.map((e) => e.type)).toContain('duplicate.dismissed');
  });

  it('show only the summary of a twin the caller is invited to, and ask it to accept first', async () => {
    const kept = await a.opportunities.create.mutate({
      fields: fields('Invited twin', 'invited.example'),
      shareWith: [{ partner: globex.slug, role: 'co_seller' }],
    });
    await g.opportunities.accept.mutate({ id: kept.id });
    const twin = await g.opportunities.create.mutate({
      fields: fields('Invited twin', 'invited.example'),
      shareWith: [{ partner: acme.slug, role: 'co_seller' }],
    });
    const [dup] = (await a.opportunities.get.query({ id: kept.id })).possibleDuplicates;
    expect(dup).toMatchObject({
      deal: {
        id: twin.id,
        access: 'summary',
        customer: { name: 'Initech' },
        amountMinor: null,
        currency: null,
        expectedCloseDate: null,
      },
      reasons: ['same_title', 'same_customer_name'],
    });
    expect(dup?.deal?.customer).not.toHaveProperty('domain');
    const error = await refusal(
      a.opportunities.linkDuplicate.mutate({ id: kept.id, otherId: twin.id }),
    );
    expect(error.data?.code).toBe('Forbidden');
    expect(error.message).toContain('accept the invitation to "Invited twin" first');
  });

  it('refuse a pair never flagged, the same deal twice, and a member who may not write', async () => {
    const one = await a.opportunities.create.mutate({ fields: fields('One', 'one.example') });
    const two = await a.opportunities.create.mutate({ fields: fields('Two', 'two.example') });
    expect(
      (await refusal(a.opportunities.linkDuplicate.mutate({ id: one.id, otherId: two.id }))).data
        ?.code,
    ).toBe('NotFound');
    const same = await refusal(
      a.opportunities.dismissDuplicate.mutate({ id: one.id, otherId: one.id }),
    );
    expect(same.data).toMatchObject({ code: 'ValidationFailed', issues: [{ path: 'otherId' }] });
    const { acmeDeal, globexDeal } = await sharedTwins('Viewer only', 'viewer.example');
    const viewer = server.client(await acme.memberToken('viewer'));
    expect(
      (
        await refusal(
          viewer.opportunities.dismissDuplicate.mutate({ id: acmeDeal, otherId: globexDeal }),
        )
      ).data?.code,
    ).toBe('Forbidden');
  });
});

describe('merging a pair', () => {
  let kept: string;
  let closed: string;

  it('closes the duplicate as lost into the kept deal, deleting nothing, on both sides', async () => {
    ({ acmeDeal: kept, globexDeal: closed } = await sharedTwins('Merge me', 'merge.example'));
    const answer = await a.opportunities.mergeDuplicate.mutate({ id: kept, duplicateId: closed });
    expect(answer.id).toBe(kept);
    expect(answer.possibleDuplicates).toEqual([]);
    expect(answer.relatedDeals).toEqual([
      {
        deal: expect.objectContaining({ id: closed, title: 'MERGE ME', status: 'lost' }),
        relation: 'merged_from',
        at: expect.any(String),
      },
    ]);
    // Globex, whose deal was closed, still has it, lost, pointing at the kept one.
    const theirs = await g.opportunities.get.query({ id: closed });
    expect(theirs.status).toBe('lost');
    expect(theirs.fields).toMatchObject({
      stage: 'lost',
      lostReason: 'no_opportunity',
      closeDate: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/),
      notes: '',
      title: 'MERGE ME',
    });
    expect(theirs.relatedDeals).toEqual([
      {
        deal: expect.objectContaining({
          id: kept,
          title: 'Merge me',
          owner: { id: acme.id, name: acme.name },
        }),
        relation: 'merged_into',
        at: expect.any(String),
      },
    ]);
    expect(theirs.participants.map((p) => p.company.id).sort()).toEqual(
      [acme.id, globex.id].sort(),
    );
    // Both histories carry it, with who did it; the duplicate's close is an ordinary update.
    const closedHistory = theirs.history.map((e) => e.type);
    expect(closedHistory.slice(-2)).toEqual(['opportunity.updated', 'duplicate.merged']);
    expect(theirs.history.at(-1)).toMatchObject({
      data: { keptId: kept, duplicateId: closed },
      author: { companyId: acme.id },
    });
    expect((await eventsOf(g, kept)).at(-1)).toBe('duplicate.merged');
    // The change feed (and so every webhook) carries both events to both companies.
    for (const client of [a, g]) {
      const feed = await client.ledger.feed.query({ limit: 1000 });
      const merged = feed.events.filter((e) => e.type === 'duplicate.merged');
      expect(merged.map((e) => e.dealId).sort()).toEqual([kept, closed].sort());
    }
  });

  it('changes nothing when sent again, and refuses the other way round or a link after it', async () => {
    const before = await g.opportunities.get.query({ id: closed });
    await a.opportunities.mergeDuplicate.mutate({ id: kept, duplicateId: closed });
    await g.opportunities.mergeDuplicate.mutate({ id: kept, duplicateId: closed });
    const after = await g.opportunities.get.query({ id: closed });
    expect(after.version).toBe(before.version);
    expect(after.history).toHaveLength(before.history.length);
    for (const call of [
      () => g.opportunities.mergeDuplicate.mutate({ id: closed, duplicateId: kept }),
      () => g.opportunities.linkDuplicate.mutate({ id: closed, otherId: kept }),
      () => a.opportunities.dismissDuplicate.mutate({ id: kept, otherId: closed }),
    ]) {
      const error = await refusal(call());
      expect(error.data?.code).toBe('InvalidState');
      expect(error.message).toContain('"MERGE ME" was closed as a duplicate of "Merge me"');
    }
  });

  it('refuses to close a won deal as a duplicate', async () => {
    const { acmeDeal, globexDeal } = await sharedTwins('Won already', 'won.example');
    await g.opportunities.update.mutate({
      id: globexDeal,
      patch: { stage: 'won', closeDate: '2026-11-30' },
    });
    const error = await refusal(
      a.opportunities.mergeDuplicate.mutate({ id: acmeDeal, duplicateId: globexDeal }),
    );
    expect(error.data?.code).toBe('InvalidState');
    // The other way round is fine: the won deal is kept.
    const won = await a.opportunities.mergeDuplicate.mutate({
      id: globexDeal,
      duplicateId: acmeDeal,
    });
    expect(won.relatedDeals.map((r) => r.relation)).toEqual(['merged_from']);
    expect((await g.opportunities.get.query({ id: acmeDeal })).status).toBe('lost');
  });
});

describe('linking and dismissing a pair', () => {
  it('links the two as related, both open, once; dismissing then unlinks them', async () => {
    const { acmeDeal, globexDeal } = await sharedTwins('Phase one', 'link.example');
    const linked = await g.opportunities.linkDuplicate.mutate({
      id: globexDeal,
      otherId: acmeDeal,
    });
    expect(linked.possibleDuplicates).toEqual([]);
    expect(linked.relatedDeals).toEqual([
      {
        deal: expect.objectContaining({ id: acmeDeal, title: 'Phase one', status: 'open' }),
        relation: 'linked',
        at: expect.any(String),
      },
    ]);
    const acmeSide = await a.opportunities.get.query({ id: acmeDeal });
    expect(acmeSide.status).toBe('open');
    expect(acmeSide.relatedDeals.map((r) => [r.deal?.id, r.relation])).toEqual([
      [globexDeal, 'linked'],
    ]);
    expect(acmeSide.history.at(-1)).toMatchObject({
      type: 'duplicate.linked',
      data: { otherId: globexDeal },
      author: { companyId: globex.id },
    });
    const again = await a.opportunities.linkDuplicate.mutate({ id: acmeDeal, otherId: globexDeal });
    expect(again.version).toBe(acmeSide.version);

    await a.opportunities.dismissDuplicate.mutate({ id: acmeDeal, otherId: globexDeal });
    for (const [client, id] of [
      [a, acmeDeal],
      [g, globexDeal],
    ] as const) {
      const view = await client.opportunities.get.query({ id });
      expect([view.possibleDuplicates, view.relatedDeals]).toEqual([[], []]);
      expect(view.history.at(-1)?.type).toBe('duplicate.dismissed');
    }
  });

  it('dismisses a pair for both companies, once, and never flags it again', async () => {
    const { acmeDeal, globexDeal } = await sharedTwins('Not the same', 'dismiss.example');
    const dismissed = await a.opportunities.dismissDuplicate.mutate({
      id: acmeDeal,
      otherId: globexDeal,
    });
    expect([dismissed.possibleDuplicates, dismissed.relatedDeals]).toEqual([[], []]);
    const twice = await a.opportunities.dismissDuplicate.mutate({
      id: acmeDeal,
      otherId: globexDeal,
    });
    expect(twice.version).toBe(dismissed.version);
    const theirs = await g.opportunities.get.query({ id: globexDeal });
    expect(theirs.possibleDuplicates).toEqual([]);
    expect(theirs.history.filter((e) => e.type === 'duplicate.dismissed')).toHaveLength(1);
    // Globex pushes its twin again (an update): the dismissed pair stays dismissed.
    await g.opportunities.update.mutate({ id: globexDeal, patch: { nextStep: 'Call' } });
    expect((await a.opportunities.get.query({ id: acmeDeal })).possibleDuplicates).toEqual([]);
  });
});

describe('the ledger', () => {
  it('rebuilds the pairs and the merged deals exactly as they were', async () => {
    const db = server.deps.db;
    const dump = async () => ({
      flags: await db
        .selectFrom('duplicate_flags')
        .selectAll()
        .orderBy('opportunity_id')
        .orderBy('other_opportunity_id')
        .execute(),
      deals: await db.selectFrom('opportunities').selectAll().orderBy('id').execute(),
    });
    const live = await dump();
    expect(live.flags.map((f) => f.resolution).sort()).toEqual(
      expect.arrayContaining(['merged', 'dismissed', null]),
    );
    for (const { id } of live.deals) await server.deps.docs.open(server.deps, id);
    await rebuildDealProjections(db);
    expect(await dump()).toEqual(live);
  });
});
