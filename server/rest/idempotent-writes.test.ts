import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appRouter } from '../trpc/app-router.ts';
import { partnerPair } from '../test/fixtures.ts';
import { startTestServer, type TestServer } from '../test/harness.ts';
import { RouteTable, type ProcedureLike } from './route-table.ts';
import { restApi, type RestCall } from './rest-test-api.ts';

/**
 * Every REST write, sent with an Idempotency-Key, completes: the key's transaction and the write
 * it wraps are one, so no write waits on itself (a webhook create once froze every tenant). A write
 * route added without a case here fails the suite.
 */

interface Ids {
  dealId: string;
  toDecline: string;
  toLeave: string;
  webhookId: string;
  stepId: string;
  globexId: string;
}
interface Case {
  as: 'acme' | 'globex';
  path: (ids: Ids) => string;
  body?: (ids: Ids) => unknown;
  /** Keeps what later cases need from the answer. */
  keep?: (body: Record<string, unknown>, ids: Ids) => void;
}

const fields = (title: string) => ({
  title,
  customer: { name: 'Initech', domain: 'initech.example' },
  amountMinor: 500_000,
  currency: 'EUR',
});
const shareWithGlobex = [{ partner: 'globex', role: 'co_seller' }];

// In the order they run: later cases use what earlier ones made.
const cases: Record<string, Case> = {
  'opportunities.create': {
    as: 'acme',
    path: () => '/opportunities',
    body: () => ({ fields: fields('Keyed create'), shareWith: shareWithGlobex }),
    keep: (b, ids) => (ids.dealId = String(b.id)),
  },
  'opportunities.batchUpsert': {
    as: 'acme',
    path: () => '/opportunities/batch',
    body: () => ({
      items: [
        { externalRef: 'crm-decline', fields: fields('To decline'), shareWith: shareWithGlobex },
        { externalRef: 'crm-leave', fields: fields('To leave'), shareWith: shareWithGlobex },
      ],
    }),
    keep: (b, ids) => {
      const items = b.results as { id: string }[];
      ids.toDecline = items[0]!.id;
      ids.toLeave = items[1]!.id;
    },
  },
  'opportunities.upsert': {
    as: 'acme',
    path: () => '/opportunities/by-ref/crm-upsert',
    body: () => ({ fields: fields('Keyed upsert') }),
  },
  'opportunities.update': {
    as: 'acme',
    path: (ids) => `/opportunities/${ids.dealId}`,
    body: () => ({ title: 'Keyed update' }),
  },
  'opportunities.accept': { as: 'globex', path: (ids) => `/opportunities/${ids.dealId}/accept` },
  'opportunities.decline': {
    as: 'globex',
    path: (ids) => `/opportunities/${ids.toDecline}/decline`,
    body: () => ({ reason: 'unable_to_support' }),
  },
  'opportunities.share': {
    as: 'acme',
    path: (ids) => `/opportunities/${ids.toDecline}/share`,
    body: () => ({ partner: 'globex' }),
  },
  'opportunities.setSponsor': {
    as: 'acme',
    path: (ids) => `/opportunities/${ids.dealId}/sponsor`,
    body: () => ({ sponsor: 'Ada Lovelace' }),
  },
  'opportunities.removeParticipant': {
    as: 'acme',
    path: (ids) => `/opportunities/${ids.toLeave}/participants/${ids.globexId}`,
  },
  'steps.add': {
    as: 'acme',
    path: (ids) => `/opportunities/${ids.dealId}/steps`,
    body: (ids) => ({ play: 'intro', ownerCompanyId: ids.globexId }),
    keep: (b, ids) => (ids.stepId = String(b.id)),
  },
  'steps.update': {
    as: 'acme',
    path: (ids) => `/opportunities/${ids.dealId}/steps/${ids.stepId}`,
    body: () => ({ status: 'done' }),
  },
  'idealPartners.forDraft': {
    as: 'acme',
    path: () => '/ideal-partners',
    body: () => ({ draft: { customer: { domain: 'initech.example' } } }),
  },
  'webhooks.create': {
    as: 'acme',
    path: () => '/webhooks',
    body: () => ({ url: 'http://127.0.0.1:9/hooks' }),
    keep: (b, ids) => (ids.webhookId = String(b.id)),
  },
  'webhooks.update': {
    as: 'acme',
    path: (ids) => `/webhooks/${ids.webhookId}`,
    body: () => ({ status: 'paused' }),
  },
  'webhooks.replay': {
    as: 'acme',
    path: (ids) => `/webhooks/${ids.webhookId}/replay`,
    body: () => ({ after: 0 }),
  },
  'webhooks.remove': { as: 'acme', path: (ids) => `/webhooks/${ids.webhookId}` },
};

const routes = new RouteTable(
  appRouter._def.procedures as unknown as Record<string, ProcedureLike>,
).routes.filter((r) => r.method !== 'GET');

let server: TestServer;
let callers: Record<Case['as'], RestCall>;
const ids = {} as Ids;

beforeAll(async () => {
  server = await startTestServer();
  const pair = await partnerPair(server, { role: 'admin' });
  callers = {
    acme: restApi(server.url, await pair.acme.memberToken('admin')),
    globex: restApi(server.url, await pair.globex.memberToken('admin')),
  };
  ids.globexId = pair.globex.id;
});
afterAll(() => server.stop());

/** The answer, or a failure naming the route if none came in time (the server froze). */
async function answered<T>(what: string, work: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const frozen = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: no answer within 5 s`)), 5000);
  });
  try {
    return await Promise.race([work, frozen]);
  } finally {
    clearTimeout(timer);
  }
}

describe('REST writes with an Idempotency-Key', () => {
  it('has a case for every write route', () => {
    expect(routes.map((r) => r.procedure).sort()).toEqual(Object.keys(cases).sort());
  });

  it('completes every one, then replays it, and the server stays up for every tenant', async () => {
    for (const [procedure, c] of Object.entries(cases)) {
      const route = routes.find((r) => r.procedure === procedure)!;
      const send = () =>
        callers[c.as](route.method, c.path(ids), {
          ...(c.body ? { body: c.body(ids) } : {}),
          headers: { 'idempotency-key': `key-${procedure}` },
        });
      const first = await answered(procedure, send());
      expect({
        procedure,
        status: first.status,
        text: first.status >= 400 ? first.text : '',
      }).toEqual({
        procedure,
        text: '',
        status: route.options.created ? 201 : 200,
      });
      c.keep?.(first.body as Record<string, unknown>, ids);
      const again = await answered(`${procedure} replayed`, send());
      expect(again.headers.get('idempotent-replayed')).toBe('true');
      expect(again.text).toBe(first.text);
      const health = await answered('healthz', fetch(`${server.url}/healthz`));
      expect(health.status).toBe(200);
    }
  });
});
