import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TandemClient } from '../../../client/sdk/tandem-client.ts';
import type {
  DealDetail,
  DealPage,
  DealView,
  FeedPage,
  StepView,
} from '../../../shared/opportunities/deal-view.schema.ts';
import { startTestServer, type TestCompany, type TestServer } from '../../../test/kit/harness.ts';
import { restApi, type RestCall, type RestErrorBody } from '../../../test/kit/rest-api.ts';

let server: TestServer;
let acme: TestCompany;
let globex: TestCompany;
/** Acme's CRM integration (an API client) and Globex's alliance manager, over REST and tRPC. */
let a: RestCall;
let b: RestCall;
let aTrpc: TandemClient;
let bTrpc: TandemClient;
let dealId: string;

const fields = {
  title: 'Lakehouse for Initech',
  customer: { name: 'Initech', domain: 'initech.com', country: 'US', industry: 'Finance' },
  amountMinor: 4_200_000,
  currency: 'USD',
  stage: 'prospect',
  expectedCloseDate: '2027-05-31',
};

/** The REST view of the deal equals the tRPC view, for both companies. */
async function expectSameViews(): Promise<void> {
  for (const [rest, trpc] of [
    [a, aTrpc],
    [b, bTrpc],
  ] as const) {
    const viaRest = await rest<DealDetail>('GET', `/opportunities/${dealId}`);
    expect(viaRest.status).toBe(200);
    expect(viaRest.headers.get('etag')).toBe(`"${viaRest.body.version}"`);
    expect(viaRest.body).toEqual(await trpc.opportunities.get.query({ id: dealId }));
  }
}

beforeAll(async () => {
  server = await startTestServer();
  acme = await server.company('acme');
  globex = await server.company('globex');
  const integration = await acme.clientToken(['opportunities:read', 'opportunities:write']);
  const manager = await globex.memberToken('alliance');
  a = restApi(server.url, integration.token);
  b = restApi(server.url, manager);
  aTrpc = server.client(integration.token);
  bTrpc = server.client(manager);
  const admin = server.client(await acme.memberToken('admin'));
  const p = await admin.partnerships.invite.mutate({ partner: 'globex', partnerType: 'reseller' });
  await bTrpc.partnerships.accept.mutate({ partnershipId: p.id });
});
afterAll(() => server.stop());

describe('a deal worked by two companies over REST', () => {
  it('creates a deal with 201, an ETag and the partner invited', async () => {
    const created = await a<DealView>('POST', '/opportunities', {
      body: { fields, externalRef: 'SF-42', shareWith: [{ partner: 'globex' }] },
      headers: { 'idempotency-key': 'create-SF-42' },
    });
    expect(created.status).toBe(201);
    expect(created.headers.get('etag')).toBe(`"${created.body.version}"`);
    expect(created.body).toMatchObject({ externalRef: 'SF-42', access: 'full', status: 'open' });
    dealId = created.body.id;
    await expectSameViews();
  });

  it('lets the partner see the summary, then accept and see the whole deal', async () => {
    const invited = await b<DealDetail>('GET', `/opportunities/${dealId}`);
    expect(invited.body).toMatchObject({ access: 'summary', fields: null, externalRef: null });
    const accepted = await b<DealDetail>('POST', `/opportunities/${dealId}/accept`);
    expect(accepted.status).toBe(200);
    expect(accepted.body.access).toBe('full');
    expect(accepted.headers.get('etag')).toBe(`"${accepted.body.version}"`);
    await expectSameViews();
  });

  it('patches with If-Match and refuses a stale one with 412 and the current deal', async () => {
    const before = await b<DealDetail>('GET', `/opportunities/${dealId}`);
    const etag = before.headers.get('etag')!;
    const patched = await b<DealView>('PATCH', `/opportunities/${dealId}`, {
      body: { stage: 'qualified', nextStep: 'Joint discovery call' },
      headers: { 'if-match': etag },
    });
    expect(patched.status).toBe(200);
    expect(patched.body.fields).toMatchObject({ stage: 'qualified', amountMinor: 4_200_000 });
    expect(patched.headers.get('etag')).toBe(`"${before.body.version + 1}"`);

    const stale = await a<RestErrorBody>('PATCH', `/opportunities/${dealId}`, {
      body: { amountMinor: 1 },
      headers: { 'if-match': etag },
    });
    expect(stale.status).toBe(412);
    expect(stale.body.error.code).toBe('PreconditionFailed');
    expect(stale.body.error.details).toMatchObject({
      id: dealId,
      version: patched.body.version,
      fields: { stage: 'qualified', nextStep: 'Joint discovery call' },
    });
    await expectSameViews();
  });

  it('names bad fields of a PATCH body as the client sent them', async () => {
    const bad = await a<RestErrorBody>('PATCH', `/opportunities/${dealId}`, {
      body: { amountMinor: 10.5, customer: { country: 'Deutschland' }, colour: 'red' },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error.issues?.map((i) => i.path).sort()).toEqual([
      'amountMinor',
      'colour',
      'customer.country',
    ]);
    expect(bad.body.error.message).toMatch(/^invalid input: (amountMinor|colour|customer)/);
    const step = await a<RestErrorBody>('POST', `/opportunities/${dealId}/steps`, {
      body: { play: 'intro', ownerCompanyId: 'co_nobody' },
    });
    expect(step.body.error.issues).toEqual([
      { path: 'ownerCompanyId', message: 'not a participant of this deal' },
    ]);
  });

  it('checks If-Match on the other writes to one deal too', async () => {
    const stale = await a<RestErrorBody>('POST', `/opportunities/${dealId}/sponsor`, {
      body: { sponsor: 'Ada (CRO)' },
      headers: { 'if-match': '"1"' },
    });
    expect(stale.status).toBe(412);
    expect(stale.body.error.details).toMatchObject({ id: dealId });
    const current = (await a<DealDetail>('GET', `/opportunities/${dealId}`)).headers.get('etag')!;
    const named = await a<DealDetail>('POST', `/opportunities/${dealId}/sponsor`, {
      body: { sponsor: 'Ada (CRO)' },
      headers: { 'if-match': current },
    });
    expect(named.status).toBe(200);
    await b('POST', `/opportunities/${dealId}/sponsor`, { body: { sponsor: 'Gus (VP Sales)' } });
    await expectSameViews();
  });

  it('keeps the mutual plan: a step added with 201 and updated by the partner', async () => {
    const added = await a<StepView>('POST', `/opportunities/${dealId}/steps`, {
      body: { play: 'technical_validation', ownerCompanyId: globex.id, dueDate: '2027-02-01' },
    });
    expect(added.status).toBe(201);
    expect(added.body).toMatchObject({ status: 'todo', ownerCompanyId: globex.id });
    const done = await b<StepView>('PATCH', `/opportunities/${dealId}/steps/${added.body.id}`, {
      body: { status: 'done', outcome: 'Benchmarks passed' },
    });
    expect(done.status).toBe(200);
    expect(done.body).toMatchObject({ id: added.body.id, status: 'done' });
    await expectSameViews();
  });

  it('closes as won through an upsert by CRM id, and adds the first-deal debrief', async () => {
    const won = await a<DealView>('PUT', '/opportunities/by-ref/SF-42', {
      body: { fields: { ...fields, stage: 'won', closeDate: '2026-11-20' } },
    });
    expect(won.status).toBe(200);
    expect(won.body).toMatchObject({ id: dealId, status: 'won' });
    const detail = await b<DealDetail>('GET', `/opportunities/${dealId}`);
    expect(detail.body.steps.map((s) => s.play)).toContain('debrief');
    await expectSameViews();
  });

  it('lists with query filters, comma lists and numbers from the query string', async () => {
    const won = await a<DealPage>('GET', '/opportunities?status=won,lost&amountMin=4000000');
    expect(won.status).toBe(200);
    expect(won.body.items.map((d) => d.id)).toEqual([dealId]);
    const repeated = await a<DealPage>('GET', '/opportunities?stage=won&stage=lost&limit=1');
    expect(repeated.body.items.map((d) => d.id)).toEqual([dealId]);
    const none = await a<DealPage>('GET', '/opportunities?status=open');
    expect(none.body).toEqual({ items: [], nextCursor: null });
    const bad = await a<RestErrorBody>('GET', '/opportunities?limit=lots&stage=sideways');
    expect(bad.status).toBe(400);
    expect(bad.body.error.issues?.map((i) => i.path).sort()).toEqual(['limit', 'stage.0']);
  });

  it('feeds the partner the events of the deal in order from GET /changes', async () => {
    const feed = await b<FeedPage>('GET', '/changes?limit=1000');
    expect(feed.status).toBe(200);
    const types = feed.body.events.filter((e) => e.dealId === dealId).map((e) => e.type);
    expect(types.slice(0, 1)).toEqual(['opportunity.created']);
    expect(types).toContain('participant.accepted');
    expect(types).toContain('step.added');
    expect(JSON.stringify(feed.body)).not.toContain('SF-42');
    const next = await b<FeedPage>('GET', `/changes?after=${feed.body.nextCursor}`);
    expect(next.body.events).toEqual([]);
    expect(feed.body).toEqual(await bTrpc.ledger.feed.query({ limit: 1000 }));
  });

  it('lets the partner leave the deal with DELETE, after which it is not found', async () => {
    const left = await b('DELETE', `/opportunities/${dealId}/participants/${globex.id}`);
    expect(left).toMatchObject({ status: 200, body: { removed: globex.id } });
    const gone = await b<RestErrorBody>('GET', `/opportunities/${dealId}`);
    expect(gone.status).toBe(404);
    expect(gone.body.error.code).toBe('NotFound');
  });
});
