import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DealPage, DealView } from '../../shared/opportunities/deal-view.schema.ts';
import { addMember, setMemberPassword } from '../../server/tenants/members/member.service.ts';
import { loginLimits } from '../../server/tenants/auth/password-login.ts';
import { startTestServer, tempDataDir, type TestCompany, type TestServer } from '../kit/harness.ts';
import { restApi, type RestAnswer, type RestErrorBody } from '../kit/rest-api.ts';
import { slowPost } from '../kit/slow-request.ts';
import { dropStoreOf } from '../kit/stores.ts';

// Two instances on one PostgreSQL database (issue 20): a client that spreads its requests over
// both still gets each limit once, and one Idempotency-Key has one request running cluster-wide.

const perMinute = 10;
const dataDir = tempDataDir();
let one: TestServer;
let two: TestServer;
let acme: TestCompany;

beforeAll(async () => {
  const env = { TANDEM_RATE_LIMIT_PER_MIN: String(perMinute) };
  // The same data dir: the same database (postgresFor) and the same master key.
  one = await startTestServer({ dataDir, env });
  two = await startTestServer({ dataDir, env });
  acme = await one.company('acme');
});
afterAll(async () => {
  await Promise.all([one?.stop(), two?.stop()]);
  await dropStoreOf(dataDir);
  fs.rmSync(dataDir, { recursive: true, force: true });
});

/** The instances taken in turn: the n-th request goes to one, the next to two. */
const either = (n: number) => (n % 2 === 0 ? one : two);

const draft = (title: string) => ({
  fields: { title, customer: { name: 'Initech' }, amountMinor: 100, currency: 'EUR' },
});

function expectRateLimited(answer: RestAnswer) {
  expect(answer.status).toBe(429);
  expect(Number(answer.headers.get('retry-after'))).toBeGreaterThan(0);
  expect((answer.body as RestErrorBody).error.code).toBe('RateLimited');
}

describe('the write budget over two instances', () => {
  it('is granted once in all, however the writes are spread', async () => {
    const token = await acme.memberToken('seller');
    const answers = await Promise.all(
      Array.from({ length: 2 * perMinute }, (_, n) =>
        restApi(either(n).url, token)('POST', '/opportunities', { body: draft(`Budget ${n}`) }),
      ),
    );
    expect(answers.filter((a) => a.status === 201)).toHaveLength(perMinute);
    const refused = answers.filter((a) => a.status !== 201);
    expect(refused).toHaveLength(perMinute);
    for (const answer of refused) expectRateLimited(answer);
    // Spent on one instance, refused on the other: over tRPC too.
    const overTrpc = await fetch(`${two.url}/trpc/opportunities.create`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify(draft('Over budget')),
    });
    expect(overTrpc.status).toBe(429);
  });
});

describe('the token endpoint over two instances', () => {
  it('grants a client its token requests per minute once in all', async () => {
    const { clientId, secret } = await acme.clientToken(['opportunities:read']);
    const statuses: number[] = [];
    const retryAfter: (string | null)[] = [];
    for (let n = 0; n < 30; n++) {
      const res = await fetch(`${either(n).url}/api/v1/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          grant_type: 'client_credentials',
          client_id: clientId,
          client_secret: secret,
        }),
      });
      await res.arrayBuffer();
      statuses.push(res.status);
      retryAfter.push(res.headers.get('retry-after'));
    }
    // 20 a minute (main.ts): the 21st is refused, whichever instance it reaches.
    expect(statuses.slice(0, 20)).toEqual(Array(20).fill(200));
    expect(statuses.slice(20)).toEqual(Array(10).fill(429));
    expect(Number(retryAfter[20])).toBeGreaterThan(0);
  });

  it('counts a member’s sign-in attempts once in all', async () => {
    const scope = { companyId: acme.id };
    const ada = await addMember(one.deps, scope, {
      email: 'ada@acme.test',
      name: 'Ada',
      role: 'admin',
    });
    await setMemberPassword(one.deps, scope, {
      memberId: ada.id,
      password: 'correct horse battery',
    });
    const login = async (n: number, password = 'wrong password 123') => {
      const res = await fetch(`${either(n).url}/trpc/auth.login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ company: acme.slug, email: 'ada@acme.test', password }),
      });
      await res.arrayBuffer();
      return { status: res.status, retryAfter: res.headers.get('retry-after') };
    };
    for (let n = 0; n < loginLimits.perMember; n++) expect((await login(n)).status).toBe(401);
    for (const n of [0, 1]) {
      const refused = await login(n, 'correct horse battery');
      expect(refused.status).toBe(429);
      expect(Number(refused.retryAfter)).toBeGreaterThan(0);
    }
  });
});

describe('an Idempotency-Key over two instances', () => {
  async function dealsTitled(token: string, title: string): Promise<DealView[]> {
    const rest = restApi(one.url, token);
    const page = await rest<DealPage>('GET', `/opportunities?q=${encodeURIComponent(title)}`);
    return page.body.items.filter((d) => d.summary.title === title);
  }

  it('sent 100 times at once to both makes one deal; every other answer replays it or is 409', async () => {
    const token = await acme.memberToken('seller');
    const answers = await Promise.all(
      Array.from({ length: 100 }, (_, n) =>
        restApi(either(n).url, token)('POST', '/opportunities', {
          body: draft('Raced over instances'),
          headers: { 'idempotency-key': 'key-cluster-race' },
        }),
      ),
    );
    const fresh = answers.filter((r) => r.status === 201 && !r.headers.get('idempotent-replayed'));
    const replays = answers.filter((r) => r.headers.get('idempotent-replayed') === 'true');
    const inFlight = answers.filter((r) => r.status === 409);
    expect(fresh).toHaveLength(1);
    expect(replays.length + inFlight.length).toBe(answers.length - 1);
    for (const r of replays) {
      expect(r.status).toBe(201);
      expect(r.text).toBe(fresh[0]!.text);
    }
    for (const r of inFlight)
      expect((r.body as RestErrorBody).error.code).toBe('IdempotencyKeyInFlight');
    expect(await dealsTitled(token, 'Raced over instances')).toHaveLength(1);
  });

  it('held by a request on one instance is refused 409 on the other, then replayed', async () => {
    const token = await acme.memberToken('seller');
    const headers = { 'idempotency-key': 'key-cluster-slow', 'content-type': 'application/json' };
    const body = JSON.stringify(draft('Slow over instances'));
    // The request on one sends half its body and waits, holding the key.
    const slow = slowPost(
      `${one.url}/api/v1/opportunities`,
      { ...headers, authorization: `Bearer ${token}` },
      body,
      20,
    );
    await new Promise((resolve) => setTimeout(resolve, 200));
    const onTwo = restApi(two.url, token);
    const meanwhile = await onTwo<RestErrorBody>('POST', '/opportunities', {
      rawBody: body,
      headers,
    });
    expect(meanwhile.status).toBe(409);
    expect(meanwhile.body.error.code).toBe('IdempotencyKeyInFlight');

    slow.finish();
    const first = await slow.answered;
    expect(first.status).toBe(201);
    const after = await onTwo('POST', '/opportunities', { rawBody: body, headers });
    expect(after.headers.get('idempotent-replayed')).toBe('true');
    expect(after.text).toBe(first.text);
    expect(await dealsTitled(token, 'Slow over instances')).toHaveLength(1);
  });
});
