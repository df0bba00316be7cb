import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type {
  DealDetail,
  DealPage,
  DealView,
} from '../../../shared/opportunities/deal-view.schema.ts';
import { decodeJwt } from 'jose';
import { startTestServer, type TestCompany, type TestServer } from '../../../test/kit/harness.ts';
import { slowPost } from '../../../test/kit/slow-request.ts';
import { restApi, type RestCall, type RestErrorBody } from '../../../test/kit/rest-api.ts';

let server: TestServer;
let acme: TestCompany;
let aToken: string;
let a: RestCall;
let b: RestCall;

function deal(title: string) {
  return {
    fields: {
      title,
      customer: { name: 'Umbrella', domain: 'umbrella.example' },
      amountMinor: 990_000,
      currency: 'EUR',
    },
  };
}

/** How many of the caller's deals carry exactly this title. */
async function dealsTitled(call: RestCall, title: string): Promise<DealView[]> {
  const page = await call<DealPage>('GET', `/opportunities?q=${encodeURIComponent(title)}`);
  return page.body.items.filter((d) => d.summary.title === title);
}

beforeAll(async () => {
  server = await startTestServer();
  acme = await server.company('acme');
  aToken = await acme.memberToken('seller');
  a = restApi(server.url, aToken);
  b = restApi(server.url, await (await server.company('globex')).memberToken('seller'));
});
afterAll(() => server.stop());

describe('Idempotency-Key on REST writes', () => {
  it('replays the first answer byte for byte and writes one ledger event', async () => {
    const send = () =>
      a<DealView>('POST', '/opportunities', {
        body: deal('Replayed create'),
        headers: { 'idempotency-key': 'key-replay-1' },
      });
    const first = await send();
    const again = await send();
    expect(first.status).toBe(201);
    expect(first.headers.get('idempotent-replayed')).toBeNull();
    expect(again.status).toBe(201);
    expect(again.text).toBe(first.text);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(again.headers.get('etag')).toBe(first.headers.get('etag'));

    expect(await dealsTitled(a, 'Replayed create')).toHaveLength(1);
    const detail = await a<DealDetail>('GET', `/opportunities/${first.body.id}`);
    expect(detail.body.history.filter((h) => h.type === 'opportunity.created')).toHaveLength(1);
  });

  it('treats the same body with its keys in another order as the same request', async () => {
    const headers = { 'idempotency-key': 'key-order' };
    const first = await a('POST', '/opportunities', {
      rawBody:
        '{"fields":{"title":"Key order","customer":{"name":"X"},"amountMinor":1,"currency":"EUR"}}',
      headers: { ...headers, 'content-type': 'application/json' },
    });
    const again = await a('POST', '/opportunities', {
      rawBody:
        '{ "fields": {"currency":"EUR","amountMinor":1,"customer":{"name":"X"},"title":"Key order"} }',
      headers: { ...headers, 'content-type': 'application/json' },
    });
    expect(first.status).toBe(201);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(again.text).toBe(first.text);
  });

  it('refuses the same key with another body with 422 and writes nothing', async () => {
    const headers = { 'idempotency-key': 'key-reused' };
    expect((await a('POST', '/opportunities', { body: deal('First use'), headers })).status).toBe(
      201,
    );
    const reused = await a<RestErrorBody>('POST', '/opportunities', {
      body: deal('Second use'),
      headers,
    });
    expect(reused.status).toBe(422);
    expect(reused.body.error.code).toBe('IdempotencyKeyReused');
    expect(await dealsTitled(a, 'Second use')).toHaveLength(0);
  });

  it('answers concurrent requests with one key with one write, the others 409 or a replay', async () => {
    const answers = await Promise.all(
      Array.from({ length: 12 }, () =>
        a('POST', '/opportunities', {
          body: deal('Raced create'),
          headers: { 'idempotency-key': 'key-race' },
        }),
      ),
    );
    const fresh = answers.filter((r) => r.status === 201 && !r.headers.get('idempotent-replayed'));
    const replays = answers.filter((r) => r.headers.get('idempotent-replayed') === 'true');
    const inFlight = answers.filter((r) => r.status === 409);
    expect(fresh).toHaveLength(1);
    expect(replays.length + inFlight.length).toBe(answers.length - 1);
    for (const r of replays) expect(r.text).toBe(fresh[0]!.text);
    for (const r of inFlight)
      expect((r.body as RestErrorBody).error.code).toBe('IdempotencyKeyInFlight');
    expect(await dealsTitled(a, 'Raced create')).toHaveLength(1);
  });

  it('answers 409 while the first request with the key is still in flight', async () => {
    const headers = { 'idempotency-key': 'key-slow-body' };
    const body = JSON.stringify(deal('Slow body'));
    // The first request sends its headers and half its body, then waits.
    const slow = slowPost(
      `${server.url}/api/v1/opportunities`,
      { ...headers, authorization: `Bearer ${aToken}` },
      body,
      20,
    );
    await new Promise((resolve) => setTimeout(resolve, 100));

    const meanwhile = await a<RestErrorBody>('POST', '/opportunities', {
      rawBody: body,
      headers: { ...headers, 'content-type': 'application/json' },
    });
    expect(meanwhile.status).toBe(409);
    expect(meanwhile.body.error.code).toBe('IdempotencyKeyInFlight');

    slow.finish();
    const first = await slow.answered;
    expect(first.status).toBe(201);
    const after = await a('POST', '/opportunities', {
      rawBody: body,
      headers: { ...headers, 'content-type': 'application/json' },
    });
    expect(after.headers.get('idempotent-replayed')).toBe('true');
    expect(after.text).toBe(first.text);
    expect(await dealsTitled(a, 'Slow body')).toHaveLength(1);
  });

  it('gives a retry of a refused request the same refusal', async () => {
    const headers = { 'idempotency-key': 'key-refused' };
    const bad = { fields: { ...deal('Refused').fields, amountMinor: -5 } };
    const first = await a<RestErrorBody>('POST', '/opportunities', { body: bad, headers });
    expect(first.status).toBe(400);
    expect(first.body.error.issues?.map((i) => i.path)).toEqual(['fields.amountMinor']);
    const again = await a('POST', '/opportunities', { body: bad, headers });
    expect(again.status).toBe(400);
    expect(again.text).toBe(first.text);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
  });

  it('scopes keys to the company, so another company may use the same key', async () => {
    const headers = { 'idempotency-key': 'key-shared-name' };
    const mine = await a<DealView>('POST', '/opportunities', { body: deal('Acme copy'), headers });
    const theirs = await b<DealView>('POST', '/opportunities', {
      body: deal('Globex copy'),
      headers,
    });
    expect(mine.status).toBe(201);
    expect(theirs.status).toBe(201);
    expect(theirs.headers.get('idempotent-replayed')).toBeNull();
    expect(theirs.body.id).not.toBe(mine.body.id);
  });

  it('keeps a key with an If-Match write, replaying it even after the deal moved on', async () => {
    const created = await a<DealView>('POST', '/opportunities', { body: deal('Versioned') });
    const path = `/opportunities/${created.body.id}`;
    const headers = { 'idempotency-key': 'key-if-match', 'if-match': `"${created.body.version}"` };
    const first = await a<DealView>('PATCH', path, { body: { nextStep: 'Call' }, headers });
    expect(first.status).toBe(200);
    await a('PATCH', path, { body: { nextStep: 'Another call' } });
    const again = await a('PATCH', path, { body: { nextStep: 'Call' }, headers });
    expect(again.text).toBe(first.text);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
  });

  it('never replays a key to another principal of the company, whatever its scopes', async () => {
    const admin = restApi(server.url, await acme.memberToken('admin'));
    const headers = { 'idempotency-key': 'key-of-the-admin' };
    const first = await admin<DealView>('POST', '/opportunities', {
      body: deal('Admin only'),
      headers,
    });
    expect(first.status).toBe(201);
    // A client that may neither read nor write deals gets the refusal it would get without a key.
    const stranger = restApi(server.url, (await acme.clientToken(['webhooks:manage'])).token);
    const replay = await stranger<RestErrorBody>('POST', '/opportunities', {
      body: deal('Admin only'),
      headers,
    });
    expect(replay.status).toBe(403);
    expect(replay.headers.get('idempotent-replayed')).toBeNull();
    expect(replay.text).not.toContain(first.body.id);
    // A colleague with the same key makes a write of its own.
    const colleague = restApi(server.url, await acme.memberToken('seller'));
    const own = await colleague<DealView>('POST', '/opportunities', {
      body: deal('Admin only'),
      headers,
    });
    expect(own.status).toBe(201);
    expect(own.headers.get('idempotent-replayed')).toBeNull();
    expect(own.body.id).not.toBe(first.body.id);
  });

  it('refuses a replay once the principal has lost the scope the write needs', async () => {
    const token = await acme.memberToken('seller');
    const seller = restApi(server.url, token);
    const headers = { 'idempotency-key': 'key-then-demoted' };
    const first = await seller('POST', '/opportunities', {
      body: deal('Before demotion'),
      headers,
    });
    expect(first.status).toBe(201);
    const admin = server.client(await acme.memberToken('admin'));
    await admin.members.setRole.mutate({ memberId: String(decodeJwt(token).sub), role: 'viewer' });
    const replay = await seller<RestErrorBody>('POST', '/opportunities', {
      body: deal('Before demotion'),
      headers,
    });
    expect(replay.status).toBe(403);
    expect(replay.body.error.code).toBe('Forbidden');
    expect(replay.text).not.toContain((first.body as DealView).id);
  });

  it('refuses a malformed key with 400', async () => {
    const answer = await a<RestErrorBody>('POST', '/opportunities', {
      body: deal('Bad key'),
      headers: { 'idempotency-key': 'k'.repeat(256) },
    });
    expect(answer.status).toBe(400);
    expect(answer.body.error.issues?.[0]?.path).toBe('Idempotency-Key');
  });
});
