import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appRouter } from '../app-router.ts';
import { partnerPair } from '../../../test/kit/fixtures.ts';
import { startTestServer, type TestServer } from '../../../test/kit/harness.ts';
import { RouteTable, type ProcedureLike } from './route-table.ts';
import { restApi, type RestCall } from '../../../test/kit/rest-api.ts';
import {
  restWriteCases as cases,
  type Case,
  type Ids,
} from '../../../test/kit/rest-write-cases.ts';

/**
 * Every REST write, sent with an Idempotency-Key, completes: the key's transaction and the write
 * it wraps are one, so no write waits on itself (a webhook create once froze every tenant). A write
 * route added without a case here fails the suite.
 */

const routes = new RouteTable(
  appRouter._def.procedures as unknown as Record<string, ProcedureLike>,
).routes.filter((r) => r.method !== 'GET');

let server: TestServer;
let callers: Record<Case['as'], RestCall>;
const ids = {} as Ids;

beforeAll(async () => {
  server = await startTestServer();
  const pair = await partnerPair(server, { role: 'admin' });
  const initech = await server.company('initech');
  callers = {
    acme: restApi(server.url, await pair.acme.memberToken('admin')),
    globex: restApi(server.url, await pair.globex.memberToken('admin')),
    initech: restApi(server.url, await initech.memberToken('admin')),
  };
  ids.globexId = pair.globex.id;
  ids.acmeId = pair.acme.id;
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
      if (c.refused)
        expect([procedure, first.status >= 400 && first.status < 500]).toEqual([procedure, true]);
      else
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
      if (c.endsToken) expect(again.status).toBe(401);
      else {
        expect(again.headers.get('idempotent-replayed')).toBe('true');
        expect(again.text).toBe(first.text);
      }
      const health = await answered('healthz', fetch(`${server.url}/healthz`));
      expect(health.status).toBe(200);
    }
  });
});
