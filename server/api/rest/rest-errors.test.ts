import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type {
  BatchResult,
  DealPage,
  FeedPage,
} from '../../../shared/opportunities/deal-view.schema.ts';
import { startServer } from '../../main.ts';
import { loadConfig } from '../../config.ts';
import { createLogger } from '../../core/logger.ts';
import { createCompany } from '../../tenants/companies/company.service.ts';
import { addMember } from '../../tenants/members/member.service.ts';
import { issueAccessToken } from '../../tenants/tokens/token-issuer.ts';
import { startTestServer, tempDataDir, type TestServer } from '../../../test/kit/harness.ts';
import { restApi, type RestCall, type RestErrorBody } from '../../../test/kit/rest-api.ts';

let server: TestServer;
let seller: RestCall;
let viewer: RestCall;
let anonymous: RestCall;

const fields = (n: number) => ({
  title: `Batch deal ${n}`,
  customer: { name: `Customer ${n}`, domain: `customer${n}.example` },
  amountMinor: 10_000 + n,
  currency: 'EUR',
});

/** The cursor of the caller's latest event, paging through the whole feed. */
async function feedTip(): Promise<string> {
  let after = '';
  for (;;) {
    const page = await seller<FeedPage>('GET', `/changes?limit=1000${after && `&after=${after}`}`);
    if (page.body.events.length === 0) return page.body.nextCursor;
    after = page.body.nextCursor;
  }
}

beforeAll(async () => {
  server = await startTestServer();
  const acme = await server.company('acme');
  seller = restApi(server.url, await acme.memberToken('seller'));
  viewer = restApi(server.url, await acme.memberToken('viewer'));
  anonymous = restApi(server.url);
});
afterAll(() => server.stop());

describe('REST batches', () => {
  it('upserts 1,000 deals in one request', async () => {
    const items = Array.from({ length: 1000 }, (_, n) => ({
      externalRef: `B-${n}`,
      fields: fields(n),
    }));
    const answer = await seller<BatchResult>('POST', '/opportunities/batch', { body: { items } });
    expect(answer.status).toBe(200);
    expect(answer.body.results).toHaveLength(1000);
    expect(new Set(answer.body.results.map((r) => r.id)).size).toBe(1000);
    expect(answer.body.results[999]).toMatchObject({ externalRef: 'B-999', version: 1 });
  });

  it('refuses a batch with two bad items whole, naming each bad field, and writes nothing', async () => {
    const tip = await feedTip();
    const items = Array.from({ length: 10 }, (_, n) => ({
      externalRef: `BAD-${n}`,
      fields: fields(n),
    }));
    items[3]!.fields.amountMinor = 12.5;
    items[7]!.fields.currency = 'XYZ';
    const answer = await seller<RestErrorBody>('POST', '/opportunities/batch', { body: { items } });
    expect(answer.status).toBe(400);
    expect(answer.body.error.code).toBe('ValidationFailed');
    expect(answer.body.error.issues?.map((i) => i.path).sort()).toEqual([
      'items.3.fields.amountMinor',
      'items.7.fields.currency',
    ]);
    const after = await seller<FeedPage>('GET', `/changes?after=${tip}`);
    expect(after.body.events).toEqual([]);
    const bad = await seller<DealPage>('GET', '/opportunities?q=Batch%20deal%201&limit=200');
    expect(bad.body.items.every((d) => d.externalRef?.startsWith('B-'))).toBe(true);
  });
});

describe('REST refusals', () => {
  it('refuses a body over 1 MiB with 413', async () => {
    const answer = await seller<RestErrorBody>('POST', '/opportunities', {
      body: { fields: { ...fields(1), notes: 'x'.repeat(2 * 1024 * 1024) } },
    });
    expect(answer.status).toBe(413);
    expect(answer.body.error.code).toBe('PayloadTooLarge');
  });

  it('answers an unknown route or method with a JSON 404', async () => {
    for (const [method, path] of [
      ['GET', '/nowhere'],
      ['DELETE', '/opportunities'],
      ['GET', '/opportunities/x/y/z'],
    ] as const) {
      const answer = await seller<RestErrorBody>(method, path);
      expect(answer.status).toBe(404);
      expect(answer.body.error).toMatchObject({
        code: 'NotFound',
        requestId: answer.headers.get('x-request-id'),
      });
    }
  });

  it('refuses a request without a token with 401', async () => {
    for (const [method, path] of [
      ['GET', '/opportunities'],
      ['POST', '/opportunities'],
    ] as const) {
      const body = method === 'POST' ? { fields: fields(1) } : undefined;
      const answer = await anonymous<RestErrorBody>(method, path, { body });
      expect(answer.status).toBe(401);
      expect(answer.body.error.code).toBe('TokenMissing');
      expect(answer.headers.get('www-authenticate')).toBe('Bearer');
    }
  });

  it('lets a viewer read but refuses its writes with 403', async () => {
    expect((await viewer('GET', '/opportunities')).status).toBe(200);
    const answer = await viewer<RestErrorBody>('POST', '/opportunities', {
      body: { fields: fields(1) },
    });
    expect(answer.status).toBe(403);
    expect(answer.body.error.code).toBe('Forbidden');
  });

  it('names each bad field of a body, unknown ones included, with a 400', async () => {
    const answer = await seller<RestErrorBody>('POST', '/opportunities', {
      body: {
        fields: { ...fields(1), customer: { name: 'X', domain: 'not a domain' } },
        colour: 1,
      },
    });
    expect(answer.status).toBe(400);
    expect(answer.body.error.issues?.map((i) => i.path).sort()).toEqual([
      'colour',
      'fields.customer.domain',
    ]);
  });

  it('refuses an unpaired surrogate anywhere in a body with 400 naming the field', async () => {
    const high = await seller<RestErrorBody>('POST', '/opportunities', {
      body: { fields: { ...fields(1), title: 'Deal \uD83D' } },
      headers: { 'idempotency-key': 'key-surrogate' },
    });
    expect(high.status).toBe(400);
    expect(high.body.error.issues).toEqual([
      { path: 'fields.title', message: expect.stringMatching(/unpaired UTF-16 surrogate/) },
    ]);
    const created = await seller<{ id: string }>('POST', '/opportunities', {
      body: { fields: fields(2) },
    });
    const low = await seller<RestErrorBody>('PATCH', `/opportunities/${created.body.id}`, {
      body: { notes: 'half \uDE00 a pair' },
    });
    expect(low.status).toBe(400);
    expect(low.body.error.issues?.map((i) => i.path)).toEqual(['notes']);
  });

  it('refuses a body that is not JSON, or not an object, with 400', async () => {
    const broken = await seller<RestErrorBody>('POST', '/opportunities', {
      rawBody: '{"fields":',
      headers: { 'content-type': 'application/json' },
    });
    expect(broken.status).toBe(400);
    const list = await seller<RestErrorBody>('POST', '/opportunities', { body: [1, 2] });
    expect(list.status).toBe(400);
    expect(list.body.error.issues?.[0]?.path).toBe('(root)');
  });

  it('refuses a malformed If-Match, or one on a route without a single deal, with 400', async () => {
    const created = await seller<{ id: string }>('POST', '/opportunities', {
      body: { fields: fields(5) },
    });
    const malformed = await seller<RestErrorBody>('PATCH', `/opportunities/${created.body.id}`, {
      body: { nextStep: 'x' },
      headers: { 'if-match': 'W/"1"' },
    });
    expect(malformed.status).toBe(400);
    expect(malformed.body.error.issues?.[0]?.path).toBe('If-Match');
    const unsupported = await seller<RestErrorBody>('POST', '/opportunities', {
      body: { fields: fields(6) },
      headers: { 'if-match': '"1"' },
    });
    expect(unsupported.status).toBe(400);
  });

  it('serves the OpenAPI document without a token', async () => {
    const answer = await anonymous<{ openapi: string }>('GET', '/openapi.json');
    expect(answer.status).toBe(200);
    expect(answer.body.openapi).toMatch(/^3\./);
  });
});

describe('the REST write rate limit', () => {
  it('answers 429 with Retry-After once a principal is over its writes per minute', async () => {
    const dataDir = tempDataDir();
    const config = loadConfig({
      PORT: '0',
      TANDEM_DATA_DIR: dataDir,
      TANDEM_PUBLIC_URL: 'http://tandem.test',
      LOG_LEVEL: 'silent',
      TANDEM_RATE_LIMIT_PER_MIN: '3',
    });
    const limited = await startServer(config, { logger: createLogger('silent') });
    try {
      const { deps } = limited;
      const company = await createCompany(deps, { slug: 'busy', name: 'Busy Inc.' });
      const scope = { companyId: company.id };
      const token = async (email: string) => {
        const member = await addMember(deps, scope, { email, name: email, role: 'seller' });
        return (await issueAccessToken(deps, scope, { subject: member.id, ttlSeconds: 900 })).token;
      };
      const busy = restApi(`http://127.0.0.1:${limited.port}`, await token('busy@busy.test'));
      const calm = restApi(`http://127.0.0.1:${limited.port}`, await token('calm@busy.test'));
      const create = (call: RestCall) =>
        call<RestErrorBody>('POST', '/opportunities', { body: { fields: fields(1) } });

      for (let n = 0; n < 3; n++) expect((await create(busy)).status).toBe(201);
      const refused = await create(busy);
      expect(refused.status).toBe(429);
      expect(refused.body.error.code).toBe('RateLimited');
      expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
      expect((await busy('GET', '/opportunities')).status).toBe(200);
      expect((await create(calm)).status).toBe(201);
    } finally {
      await limited.close(1000);
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
