import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeJwt } from 'jose';
import type { AnyProcedure } from '@trpc/server';
import { RouteTable, type ProcedureLike, type RestRoute } from '../server/api/rest/route-table.ts';
import { restApi } from './kit/rest-api.ts';
import { appRouter } from '../server/api/app-router.ts';
import { crossTenantWorld, type BWorld } from './kit/cross-tenant-world.ts';
import { startTestServer, type TestCompany, type TestServer } from './kit/harness.ts';
import { restWriteCases, type Ids } from './kit/rest-write-cases.ts';

/**
 * Generated from the procedure list and the REST route table, so a new procedure or route is
 * covered without anyone remembering to: every REST operation with the ids of another company's
 * objects, and of a deal a partner declined; every procedure and operation with the token of a
 * member who was removed. (cross-tenant.test.ts holds the tRPC cases, one per procedure.)
 */

const procedures = appRouter._def.procedures as unknown as Record<string, AnyProcedure>;
const routes = new RouteTable(procedures as unknown as Record<string, ProcedureLike>).routes;
// Public by design: the probe, password sign-in and every company's public keys.
const publicProcedures = new Set(['health', 'auth.login', 'keys.jwks']);
// A CRM id is the caller's own: A upserting "B-CRM-1" writes A's deal (cross-tenant.test.ts
// proves it stays A's), so there is no other company's object in its path to refuse. A partner
// type names A's own profile of that type.
const ownNamespace = new Set([
  'opportunities.upsert',
  'partnerProfiles.set',
  'partnerProfiles.review',
  'keys.jwks',
]);

let server: TestServer;
let a: TestCompany;
let delta: TestCompany;
let world: BWorld;
let bAdmin: string;
let declined: { dealId: string; stepId: string };

/** The route's path and body with these ids in every slot. */
function request(route: RestRoute, ids: Ids): { path: string; body?: unknown } {
  const write = restWriteCases[route.procedure];
  if (write) return { path: write.path(ids), ...(write.body ? { body: write.body(ids) } : {}) };
  const slots: Record<string, string | undefined> = {
    id: route.path.startsWith('/webhooks') ? ids.webhookId : ids.dealId,
    dealId: ids.dealId,
    partnershipId: ids.partnershipId,
    partner: ids.partner,
    version: '1',
  };
  const path = route.path.replace(/\{(\w+)\}/g, (slot, name: string) => slots[name] ?? slot);
  return { path: path + (requiredQuery[route.procedure] ?? '') };
}

/** Reads whose query is required: a valid one, so the refusal is about the ids. */
const requiredQuery: Record<string, string> = {
  'transparency.inclusion': '?index=0&size=1',
  'transparency.consistency': '?from=1&to=1',
};

const bIds = (): Ids => ({
  dealId: world.dealWithC,
  toDecline: world.dealWithC,
  toLeave: world.dealWithC,
  webhookId: world.webhookId,
  stepId: world.stepId,
  globexId: world.companyId,
  acmeId: world.companyId,
  wonDealId: world.dealWithC,
  partnershipId: world.partnershipWithC,
  memberId: world.sellerId,
  clientId: world.clientId,
  kid: world.externalKid,
  // B is no partner of A's: A may neither share with it nor see its overlap.
  partner: world.companyId,
  // A pair of B's deals (its one deal twice: refused as not found before the pair is looked at).
  twinId: world.dealWithC,
});

async function bState() {
  const b = server.client(bAdmin);
  return {
    deal: await b.opportunities.get.query({ id: world.dealWithC }),
    webhooks: await b.webhooks.list.query(),
  };
}

beforeAll(async () => {
  server = await startTestServer();
  ({ a, delta, bAdmin, world } = await crossTenantWorld(server));
  // A shares a deal with its partner D, which declines it: D keeps no access to it.
  const aAdmin = server.client(await a.memberToken('admin'));
  const deal = await aAdmin.opportunities.create.mutate({
    fields: { title: 'Declined', customer: { name: 'Initech' }, amountMinor: 1, currency: 'EUR' },
    shareWith: [{ partner: delta.slug, role: 'reseller' }],
  });
  const step = await aAdmin.steps.add.mutate({
    dealId: deal.id,
    step: { play: 'intro', ownerCompanyId: a.id },
  });
  await server
    .client(await delta.memberToken('admin'))
    .opportunities.decline.mutate({ id: deal.id, reason: 'unable_to_support' });
  declined = { dealId: deal.id, stepId: step.id };
});
afterAll(() => server.stop());

const withIds = routes.filter((r) => r.params.length > 0 && !ownNamespace.has(r.procedure));

describe('every REST operation with ids that are not the caller’s', () => {
  it.each(withIds.map((r) => ({ name: `${r.method} ${r.path}`, route: r })))(
    "answers 404 to $name with another company's ids, and changes nothing of it",
    async ({ route }) => {
      const before = await bState();
      const call = restApi(server.url, await a.memberToken('admin'));
      const { path, body } = request(route, bIds());
      const answer = await call(route.method, path, body === undefined ? {} : { body });
      expect({ status: answer.status, text: answer.text }).toMatchObject({ status: 404 });
      expect(await bState()).toEqual(before);
    },
  );

  it.each(withIds.map((r) => ({ name: `${r.method} ${r.path}`, route: r })))(
    'answers 404 to $name on a deal the caller declined',
    async ({ route }) => {
      const call = restApi(server.url, await delta.memberToken('admin'));
      const ids: Ids = {
        dealId: declined.dealId,
        toDecline: declined.dealId,
        toLeave: declined.dealId,
        stepId: declined.stepId,
        // D has no webhook of A's to name; A's deal is what it once saw.
        webhookId: declined.dealId,
        globexId: a.id,
        wonDealId: declined.dealId,
        acmeId: delta.id,
        twinId: declined.dealId,
      };
      const { path, body } = request(route, ids);
      const answer = await call(route.method, path, body === undefined ? {} : { body });
      expect({ status: answer.status, text: answer.text }).toMatchObject({ status: 404 });
    },
  );
});

describe('a removed member', () => {
  let token: string;
  beforeAll(async () => {
    token = await a.memberToken('admin');
    const admin = server.client(await a.memberToken('admin'));
    await admin.members.disable.mutate({ memberId: String(decodeJwt(token).sub) });
  });

  it.each(Object.keys(procedures).filter((p) => !publicProcedures.has(p)))(
    'is refused %s with 401',
    async (path) => {
      const type = procedures[path]!._def.type;
      const res =
        type === 'query'
          ? await fetch(`${server.url}/trpc/${path}`, {
              headers: { authorization: `Bearer ${token}` },
            })
          : await fetch(`${server.url}/trpc/${path}`, {
              method: 'POST',
              headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
              body: '{}',
            });
      expect(res.status).toBe(401);
    },
  );

  it.each(
    routes
      .filter((r) => !publicProcedures.has(r.procedure))
      .map((r) => ({ name: `${r.method} ${r.path}`, route: r })),
  )('is refused $name with 401', async ({ route }) => {
    const { path, body } = request(route, bIds());
    const answer = await restApi(server.url, token)(
      route.method,
      path.replace('{externalRef}', 'any'),
      body === undefined ? {} : { body },
    );
    expect(answer.status).toBe(401);
  });
});
