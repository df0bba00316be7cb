import { cosign } from '../shared/ledger/signed-note.ts';
import { loadWitnessKey, newWitnessKey } from '../client/sdk/witness.ts';
import fs from 'node:fs';
import createClient, { type Client, type Middleware } from 'openapi-fetch';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestCompany, type TestServer } from './kit/harness.ts';
import { generatedTypesPath, openApiTypes } from './kit/rest-client/openapi-types.ts';
import type { paths } from './kit/rest-client/tandem-api.generated.ts';

/**
 * A partner's integration as openapi-typescript + openapi-fetch make it from the served document,
 * calling the real server: at least one operation of every tag. The types are committed rather
 * than generated during the run so that `npm run typecheck` checks these calls against the
 * document (a renamed field or route fails to compile), and the first test fails when they are
 * older than the document (`npm run openapi:types` regenerates them).
 */

type Api = Client<paths>;

let server: TestServer;
let acme: TestCompany;
let globex: TestCompany;
let doc: { paths: Record<string, Record<string, { tags?: string[] }>> };
/** `get /opportunities/{id}` of every call made, as openapi-fetch names the operation. */
const called = new Set<string>();

const record: Middleware = {
  onRequest({ request, schemaPath }) {
    called.add(`${request.method.toLowerCase()} ${schemaPath}`);
  },
};

function api(token?: string): Api {
  const client = createClient<paths>({
    baseUrl: `${server.url}/api/v1`,
    headers: token ? { authorization: `Bearer ${token}` } : {},
  });
  client.use(record);
  return client;
}

/** The answer's data, or a failure that shows the error body. */
function ok<T>(answer: { data?: T; error?: unknown; response: Response }): T {
  expect(answer.error, `${answer.response.status} ${JSON.stringify(answer.error)}`).toBeUndefined();
  return answer.data!;
}

beforeAll(async () => {
  server = await startTestServer();
  acme = await server.company('acme');
  globex = await server.company('globex');
  doc = (await (await fetch(`${server.url}/api/v1/openapi.json`)).json()) as typeof doc;
});
afterAll(() => server.stop());

describe('the REST client generated from the OpenAPI document', () => {
  it('is generated from the document the server serves now', async () => {
    const committed = fs.readFileSync(generatedTypesPath, 'utf8');
    expect(committed === (await openApiTypes()), 'run npm run openapi:types').toBe(true);
  });

  it('works a partnership, a won deal and its signed attribution end to end', async () => {
    const a = api(await acme.memberToken('admin'));
    const g = api(await globex.memberToken('admin'));

    const me = ok(await a.GET('/me'));
    expect(me.company.id).toBe(acme.id);

    const invited = ok(
      await a.POST('/partnerships', {
        body: { partner: 'globex', partnerType: 'reseller' },
        headers: { 'Idempotency-Key': 'invite-globex' },
      }),
    );
    const accepted = ok(
      await g.POST('/partnerships/{partnershipId}/accept', {
        params: { path: { partnershipId: invited.id } },
      }),
    );
    expect(accepted.status).toBe('active');
    expect(ok(await a.GET('/partnerships')).map((p) => p.id)).toEqual([invited.id]);

    const deal = ok(
      await a.POST('/opportunities', {
        body: {
          fields: {
            title: 'Northwind data platform',
            customer: { name: 'Northwind', domain: 'northwind.example' },
            amountMinor: 1_000_000,
            currency: 'EUR',
            stage: 'won',
            closeDate: '2026-03-01',
          },
          shareWith: [{ partner: 'globex', role: 'co_seller' }],
        },
      }),
    );
    ok(await g.POST('/opportunities/{id}/accept', { params: { path: { id: deal.id } } }));
    const step = ok(
      await a.POST('/opportunities/{dealId}/steps', {
        params: { path: { dealId: deal.id } },
        body: { play: 'debrief', ownerCompanyId: globex.id },
      }),
    );
    expect(step.play).toBe('debrief');

    const proposed = ok(
      await a.POST('/opportunities/{dealId}/attribution', {
        params: { path: { dealId: deal.id } },
        body: {
          splits: [
            { companyId: acme.id, kind: 'sourced', bps: 6000 },
            { companyId: globex.id, kind: 'influenced', bps: 4000 },
          ],
        },
      }),
    );
    const amounts = proposed.versions[0]!.statement.splits.map((s) => s.amountMinor);
    expect(amounts.sort((x, y) => x - y)).toEqual([400_000, 600_000]);
    for (const side of [a, g])
      ok(
        await side.POST('/opportunities/{dealId}/attribution/{version}/sign', {
          params: { path: { dealId: deal.id, version: 1 } },
        }),
      );
    const status = ok(
      await g.GET('/opportunities/{dealId}/attribution', {
        params: { path: { dealId: deal.id } },
      }),
    );
    expect(status.sealed?.version).toBe(1);

    const exported = ok(
      await a.GET('/attribution/export.json', { params: { query: { period: '2026-Q1' } } }),
    );
    expect(exported.records).toHaveLength(1);
    expect(exported.manifest.signatures).toHaveLength(1);

    const feed = ok(await g.GET('/changes', { params: { query: { limit: 2 } } }));
    expect(feed.events.length).toBe(2);
  });

  it('reaches accounts, overlap, program health, profiles and ideal partners', async () => {
    const a = api(await acme.memberToken('admin'));
    const g = api(await globex.memberToken('admin'));
    const accounts = [{ domain: 'initech.example', name: 'Initech', status: 'customer' as const }];
    ok(await a.POST('/accounts', { body: { accounts } }));
    ok(await g.POST('/accounts', { body: { accounts } }));
    ok(
      await g.PUT('/accounts/sharing/{partner}', {
        params: { path: { partner: acme.id } },
        body: { level: 'accounts' },
      }),
    );
    const overlap = ok(
      await a.GET('/accounts/overlap/{partner}', { params: { path: { partner: 'globex' } } }),
    );
    expect(overlap.accounts.map((x) => x.domain)).toEqual(['initech.example']);
    expect(ok(await a.GET('/accounts')).counts).toMatchObject({ customer: 1 });

    const health = ok(
      await a.GET('/program-health', {
        params: { query: { from: '2026-01-01', to: '2026-06-30' } },
      }),
    );
    expect(health.coSold.won).toBe(1);

    ok(
      await a.PUT('/partner-profiles/{partnerType}', {
        params: { path: { partnerType: 'reseller' } },
        body: {
          partnerType: 'reseller',
          dimensions: [{ key: 'account_overlap', weight: 1 }],
          thresholds: { recruit: 0.5, nurture: 0.2 },
        },
      }),
    );
    const scores = ok(await a.GET('/partner-profiles/scores'));
    expect(scores.map((s) => s.company.slug)).toEqual(['globex']);

    const deals = ok(await a.GET('/opportunities'));
    const ranked = ok(
      await a.GET('/opportunities/{id}/ideal-partners', {
        params: { path: { id: deals.items[0]!.id } },
      }),
    );
    expect(Array.isArray(ranked.partners)).toBe(true);
  });

  it('administers members, API clients, keys, tokens and webhooks', async () => {
    const a = api(await acme.memberToken('admin'));
    const member = ok(
      await a.POST('/members', {
        body: { email: 'grace@acme.test', name: 'Grace Hopper', role: 'finance' },
      }),
    );
    expect(ok(await a.GET('/members')).map((m) => m.id)).toContain(member.id);

    const created = ok(
      await a.POST('/clients', { body: { name: 'CRM sync', scopes: ['opportunities:read'] } }),
    );
    const token = ok(
      await api().POST('/token', {
        body: { client_id: created.client.id, client_secret: created.secret },
      }),
    );
    const crm = api(token.access_token);
    expect(ok(await crm.GET('/me')).principal).toMatchObject({ kind: 'client' });
    // The client's token carries its one scope and nothing more.
    expect((await crm.GET('/members')).response.status).toBe(403);

    const keys = ok(await a.GET('/keys'));
    const jwks = ok(
      await api().GET('/companies/{companyId}/jwks', {
        params: { path: { companyId: acme.id } },
      }),
    );
    expect(jwks.keys.map((k) => k.kid).sort()).toEqual(
      keys
        .filter((k) => !k.retiredAt)
        .map((k) => k.kid)
        .sort(),
    );

    const hook = ok(await a.POST('/webhooks', { body: { url: 'http://127.0.0.1:9/hooks' } }));
    expect(ok(await a.GET('/webhooks')).map((w) => w.id)).toEqual([hook.id]);

    ok(await crm.DELETE('/token'));
    expect((await crm.GET('/me')).response.status).toBe(401);
  });

  it('answers bad input with a 400 naming the field path, typed as the error body', async () => {
    const a = api(await acme.memberToken('admin'));
    const answer = await a.POST('/partnerships', {
      // @ts-expect-error partnerType must be one of the partner types
      body: { partner: 'globex', partnerType: 'franchise' },
    });
    expect(answer.response.status).toBe(400);
    expect(answer.error?.error.code).toBe('ValidationFailed');
    expect(answer.error?.error.issues?.map((i) => i.path)).toEqual(['partnerType']);
  });

  it('follows keyset pages through their Link headers', async () => {
    const a = api(await acme.memberToken('admin'));
    for (const title of ['One', 'Two', 'Three'])
      ok(
        await a.POST('/opportunities', {
          body: {
            fields: { title, customer: { name: 'Initech' }, amountMinor: 1, currency: 'EUR' },
          },
        }),
      );
    const first = await a.GET('/opportunities', { params: { query: { limit: 2 } } });
    const link = first.response.headers.get('link');
    expect(link).toMatch(
      /^<http:\/\/tandem\.test\/api\/v1\/opportunities\?limit=2&cursor=[^>]+>; rel="next"$/,
    );
    const cursor = new URL(/<([^>]+)>/.exec(link!)![1]!).searchParams.get('cursor')!;
    expect(cursor).toBe(ok(first).nextCursor);
    const second = await a.GET('/opportunities', { params: { query: { limit: 2, cursor } } });
    const seen = [...ok(first).items, ...ok(second).items].map((d) => d.id);
    expect(new Set(seen).size).toBe(seen.length);
  });

  it('keeps the partnership log over REST: witness key, checkpoint, cosignature, receipt', async () => {
    const a = api(await acme.memberToken('admin'));
    const file = await newWitnessKey('acme.example/witness');
    ok(await a.POST('/transparency/witness-keys', { body: { vkey: file.vkey } }));
    const [log] = ok(await a.GET('/transparency/logs'));
    const round = ok(
      await a.POST('/partnerships/{partnershipId}/log/checkpoints', {
        params: { path: { partnershipId: log!.partnershipId } },
        body: {},
      }),
    );
    const checkpoint = round.checkpoint!;
    const key = await loadWitnessKey(file);
    const body = checkpoint.note.split('\n\n')[0] + '\n';
    const line = await cosign(key.verifier, key.privateKey, body, Math.floor(Date.now() / 1000));
    const cosigned = ok(
      await a.POST('/partnerships/{partnershipId}/log/cosignatures', {
        params: { path: { partnershipId: log!.partnershipId } },
        body: { size: checkpoint.size, cosignature: line },
      }),
    );
    expect(Object.keys(cosigned.cosigned)).toEqual([acme.id]);
    const deals = ok(await a.GET('/opportunities'));
    const shared = deals.items.find((d) => d.participants.length > 1)!;
    const receipt = ok(
      await a.GET('/opportunities/{dealId}/receipt', {
        params: { path: { dealId: shared.id } },
      }),
    );
    expect(receipt.receipts.map((r) => r.origin)).toEqual([log!.origin]);
  });

  it('called an operation of every tag', () => {
    const tags = new Set<string>();
    for (const op of called) {
      const [method, path] = op.split(' ') as [string, string];
      for (const tag of doc.paths[path]?.[method]?.tags ?? []) tags.add(tag);
    }
    const all = new Set(
      Object.values(doc.paths).flatMap((item) => Object.values(item).flatMap((o) => o.tags ?? [])),
    );
    expect([...all].filter((t) => !tags.has(t))).toEqual([]);
  });
});
