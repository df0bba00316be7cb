import { createTRPCUntypedClient, httpBatchLink } from '@trpc/client';
import type { AnyProcedure } from '@trpc/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appRouter, type AppRouter } from '../server/api/app-router.ts';
import { crossTenantWorld, dealFields, type BWorld } from './kit/cross-tenant-world.ts';
import { startTestServer, type TestCompany, type TestServer } from './kit/harness.ts';
import { refusal } from './kit/refusal.ts';

/**
 * Every procedure, called by an admin of company A with the ids of company B's objects.
 * A procedure added to the router without a case here fails the suite: add its case, and with
 * it the proof that it keeps to the caller's company.
 */

type Case =
  | { expect: 'NotFound'; input: (b: BWorld) => unknown }
  | { expect: 'refused'; code: string; input: (b: BWorld) => unknown }
  | { expect: 'own data'; input?: (b: BWorld) => unknown; check?: (result: unknown) => void }
  | {
      expect: 'acts within A';
      input?: (b: BWorld) => unknown;
      check: (result: unknown, callerToken: string) => Promise<void>;
    };

let server: TestServer;
let a: TestCompany;
let c: TestCompany;
let bAdmin: string;
let bClientToken: string;
let world: BWorld;
let bStateBefore: Awaited<ReturnType<typeof stateOf>>;

// Typed as the nested record, but at run time it is the flat map of dotted paths.
const procedures = appRouter._def.procedures as unknown as Record<string, AnyProcedure>;
const paths = Object.keys(procedures);

function rpc(token: string) {
  return createTRPCUntypedClient<AppRouter>({
    links: [
      httpBatchLink({ url: `${server.url}/trpc`, headers: { authorization: `Bearer ${token}` } }),
    ],
  });
}

async function call(path: string, token: string, input: unknown): Promise<unknown> {
  const client = rpc(token);
  const type = procedures[path]?._def.type;
  return type === 'query' ? client.query(path, input) : client.mutation(path, input);
}

async function stateOf(token: string) {
  const client = server.client(token);
  return {
    members: await client.members.list.query(),
    clients: await client.clients.list.query(),
    keys: await client.keys.list.query(),
    partnerships: await client.partnerships.list.query(),
    deals: await client.opportunities.list.query({ limit: 200 }),
    attribution: world ? await client.attribution.get.query({ dealId: world.dealWithC }) : null,
    webhooks: await client.webhooks.list.query(),
  };
}

/** Every id B owns that A must never see or touch. */
function bIds(): string[] {
  const {
    companyId,
    adminId,
    adminJti,
    sellerId,
    clientId,
    externalKid,
    partnershipWithC,
    dealWithC,
    stepId,
    webhookId,
  } = world;
  const kids = bStateBefore.keys.map((k) => k.kid);
  return [
    companyId,
    adminId,
    adminJti,
    sellerId,
    clientId,
    externalKid,
    partnershipWithC,
    dealWithC,
    stepId,
    webhookId,
    // Not B's externalRef: CRM ids are per company, and A's cases reuse the same string for its own deals.
    ...kids,
  ];
}

/** The ids in one of a company's admin lists, as seen with the token. */
async function listed(token: string, list: 'members' | 'clients' | 'keys'): Promise<string[]> {
  const api = server.client(token);
  if (list === 'members') return (await api.members.list.query()).map((m) => m.id);
  if (list === 'clients') return (await api.clients.list.query()).map((cl) => cl.id);
  return (await api.keys.list.query()).map((k) => k.kid);
}

async function expectOnlyInA(list: 'members' | 'clients' | 'keys', id: string): Promise<void> {
  expect(await listed(bAdmin, list)).not.toContain(id);
  expect(await listed(await a.memberToken('admin'), list)).toContain(id);
}

function nonEmptyList(result: unknown): void {
  expect(Array.isArray(result) && result.length > 0).toBe(true);
}

const cases: Record<string, Case> = {
  health: { expect: 'own data' },
  'auth.login': {
    // Public: A's token does not matter; B's member cannot be signed in as A's, nor without B's password.
    expect: 'refused',
    code: 'CredentialsInvalid',
    input: (w) => ({ company: a.slug, email: w.sellerEmail, password: 'b-seller-password-1' }),
  },
  'companies.me': {
    expect: 'own data',
    check: (result) => expect((result as { company: { id: string } }).company.id).toBe(a.id),
  },
  'members.list': { expect: 'own data', check: nonEmptyList },
  'members.add': {
    expect: 'acts within A',
    input: (w) => ({ email: w.sellerEmail, name: 'Same email as B', role: 'admin' }),
    check: (result) => expectOnlyInA('members', (result as { id: string }).id),
  },
  'members.setRole': {
    expect: 'NotFound',
    input: (w) => ({ memberId: w.sellerId, role: 'admin' }),
  },
  'members.setPassword': {
    expect: 'NotFound',
    input: (w) => ({ memberId: w.sellerId, password: 'taken-over-by-a' }),
  },
  'members.disable': { expect: 'NotFound', input: (w) => ({ memberId: w.sellerId }) },
  'clients.list': { expect: 'own data', check: nonEmptyList },
  'clients.create': {
    expect: 'acts within A',
    input: () => ({ name: 'intruder', scopes: ['company:admin'] }),
    check: (result) => expectOnlyInA('clients', (result as { client: { id: string } }).client.id),
  },
  'clients.revoke': { expect: 'NotFound', input: (w) => ({ clientId: w.clientId }) },
  'keys.list': { expect: 'own data', check: nonEmptyList },
  'keys.rotate': {
    expect: 'acts within A',
    input: () => ({ purpose: 'access' }),
    check: (result) => expectOnlyInA('keys', (result as { kid: string }).kid),
  },
  'keys.retire': { expect: 'NotFound', input: (w) => ({ kid: w.externalKid }) },
  // Public by design (anyone verifies a company's signatures); A's own set holds nothing of B's.
  'keys.jwks': { expect: 'own data', input: () => ({ companyId: a.id }) },
  'keys.registerExternal': {
    expect: 'acts within A',
    input: (w) => ({ jwk: w.externalJwk, purpose: 'access' }),
    async check(result) {
      const { kid } = result as { kid: string };
      expect(kid).not.toBe(world.externalKid);
      await expectOnlyInA('keys', kid);
    },
  },
  'tokens.revoke': {
    expect: 'acts within A',
    input: (w) => ({ jti: w.adminJti }),
    async check() {
      // A revoked the jti under its own issuer only: B's token with that jti still works.
      expect((await server.client(bAdmin).companies.me.query()).company.id).toBe(world.companyId);
    },
  },
  'tokens.revokeCurrent': {
    expect: 'acts within A',
    async check(_result, callerToken) {
      const error = await refusal(server.client(callerToken).companies.me.query());
      expect(error.data).toMatchObject({ code: 'TokenInvalid', httpStatus: 401 });
      expect((await server.client(bAdmin).companies.me.query()).company.id).toBe(world.companyId);
    },
  },
  'partnerships.list': { expect: 'own data', check: nonEmptyList },
  'partnerships.get': { expect: 'NotFound', input: (w) => ({ partnershipId: w.partnershipWithC }) },
  'partnerships.invite': {
    expect: 'acts within A',
    input: () => ({ partner: c.id, partnerType: 'referral' }),
    async check(result) {
      const created = result as {
        id: string;
        invitedBy: string;
        direction: string;
        partner: { id: string | null; slug: string };
      };
      // Invited by id; who holds it is not told until C accepts.
      expect(created).toMatchObject({
        invitedBy: a.id,
        direction: 'sent',
        partner: { id: null, slug: c.id },
      });
      const bSide = server.client(bAdmin).partnerships;
      expect((await bSide.list.query()).map((p) => p.id)).not.toContain(created.id);
      expect((await refusal(bSide.get.query({ partnershipId: created.id }))).data?.code).toBe(
        'NotFound',
      );
    },
  },
  'partnerships.accept': {
    expect: 'NotFound',
    input: (w) => ({ partnershipId: w.partnershipWithC }),
  },
  'partnerships.decline': {
    expect: 'NotFound',
    input: (w) => ({ partnershipId: w.partnershipWithC }),
  },
  'partnerships.end': { expect: 'NotFound', input: (w) => ({ partnershipId: w.partnershipWithC }) },
  'opportunities.list': {
    expect: 'own data',
    input: () => ({ limit: 200 }),
    check: (r) => nonEmptyList((r as { items: unknown[] }).items),
  },
  'opportunities.get': { expect: 'NotFound', input: (w) => ({ id: w.dealWithC }) },
  'opportunities.create': {
    expect: 'acts within A',
    input: (w) => ({ fields: dealFields, externalRef: w.externalRef }),
    check: (result) => expectDealOnlyInA((result as { id: string }).id),
  },
  'opportunities.update': {
    expect: 'NotFound',
    input: (w) => ({ id: w.dealWithC, patch: { title: 'taken over' } }),
  },
  'opportunities.upsert': {
    expect: 'acts within A',
    input: (w) => ({ externalRef: `${w.externalRef}-up`, fields: dealFields }),
    check: (result) => expectDealOnlyInA((result as { id: string }).id),
  },
  'opportunities.batchUpsert': {
    expect: 'acts within A',
    input: (w) => ({ items: [{ externalRef: `${w.externalRef}-batch`, fields: dealFields }] }),
    check: (result) => expectDealOnlyInA((result as { results: { id: string }[] }).results[0]!.id),
  },
  'opportunities.share': {
    expect: 'NotFound',
    input: (w) => ({ id: w.dealWithC, partner: 'delta', role: 'co_seller' }),
  },
  'opportunities.accept': { expect: 'NotFound', input: (w) => ({ id: w.dealWithC }) },
  'opportunities.decline': {
    expect: 'NotFound',
    input: (w) => ({ id: w.dealWithC, reason: 'other' }),
  },
  'opportunities.removeParticipant': {
    expect: 'NotFound',
    input: (w) => ({ id: w.dealWithC, companyId: c.id }),
  },
  'opportunities.setSponsor': {
    expect: 'NotFound',
    input: (w) => ({ id: w.dealWithC, sponsor: 'Mallory' }),
  },
  'opportunities.mergeDuplicate': {
    expect: 'NotFound',
    input: (w) => ({ id: w.dealWithC, duplicateId: w.dealWithC }),
  },
  'opportunities.linkDuplicate': {
    expect: 'NotFound',
    input: (w) => ({ id: w.dealWithC, otherId: w.dealWithC }),
  },
  'opportunities.dismissDuplicate': {
    expect: 'NotFound',
    input: (w) => ({ id: w.dealWithC, otherId: w.dealWithC }),
  },
  'steps.add': {
    expect: 'NotFound',
    input: (w) => ({ dealId: w.dealWithC, step: { play: 'intro', ownerCompanyId: a.id } }),
  },
  'steps.update': {
    expect: 'NotFound',
    input: (w) => ({ dealId: w.dealWithC, stepId: w.stepId, patch: { status: 'done' } }),
  },
  'ledger.feed': {
    expect: 'own data',
    input: () => ({ limit: 1000 }),
    check: (r) => nonEmptyList((r as { events: unknown[] }).events),
  },
  'accounts.summary': { expect: 'own data' },
  'accounts.upload': {
    expect: 'acts within A',
    input: () => ({ accounts: [{ domain: 'probe.example', name: 'Probe', status: 'customer' }] }),
    async check() {
      expect((await server.client(bAdmin).accounts.summary.query()).counts).toEqual({});
    },
  },
  'accounts.setSharing': {
    expect: 'NotFound',
    input: () => ({ partner: c.slug, level: 'accounts' }),
  },
  'accounts.overlap': { expect: 'NotFound', input: () => ({ partner: c.slug }) },
  'idealPartners.forDeal': { expect: 'NotFound', input: (w) => ({ id: w.dealWithC }) },
  'idealPartners.forDraft': {
    expect: 'own data',
    input: () => ({ draft: { customer: { domain: 'probe.example', segment: 'smb' } }, limit: 50 }),
    check: (r) => {
      // A's only partner is delta: B's partner C never appears in A's ranking.
      const slugs = (r as { partners: { partner: { slug: string } }[] }).partners.map(
        (p) => p.partner.slug,
      );
      expect(slugs).toEqual(['delta']);
    },
  },
  'idealPartners.weights': { expect: 'own data' },
  'programHealth.get': {
    expect: 'own data',
    check: (r) => {
      const h = r as { partners: { list: { partner: { slug: string } }[] } };
      expect(h.partners.list.map((p) => p.partner.slug)).toEqual(['delta']);
    },
  },
  'pipeline.stageTotals': {
    expect: 'own data',
    // B's deal with C has A's deal's very fields: filtered on B, A's totals count none of it.
    input: (w) => ({ partner: w.companyId, q: dealFields.title }),
    check: (r) => {
      const t = r as { total: { count: number; totalMinor: number } };
      expect(t.total).toMatchObject({ count: 0, totalMinor: 0 });
    },
  },
  'partnerProfiles.list': { expect: 'own data' },
  'partnerProfiles.set': {
    expect: 'acts within A',
    input: () => ({
      partnerType: 'oem',
      dimensions: [{ key: 'selling_capacity', weight: 1 }],
      thresholds: { recruit: 0.5, nurture: 0.2 },
    }),
    async check() {
      expect(await server.client(bAdmin).partnerProfiles.list.query()).toEqual([]);
    },
  },
  'partnerProfiles.setValues': {
    expect: 'NotFound',
    // B itself: neither A's partner nor its candidate (C became A's candidate in partnerships.invite).
    input: (w) => ({ subject: w.companyId, values: { certified: 1 } }),
  },
  'partnerProfiles.score': {
    expect: 'own data',
    check: (r) =>
      expect((r as { company: { slug: string } }[]).map((x) => x.company.slug)).toEqual(['delta']),
  },
  'partnerProfiles.review': {
    // Runs after partnerProfiles.set (cases run in router order), which gave A an oem profile.
    expect: 'own data',
    input: () => ({ partnerType: 'oem' }),
    check: (r) =>
      expect(
        (r as { partners: { company: { slug: string } }[] }).partners.map((x) => x.company.slug),
      ).toEqual(['delta']),
  },
  'attribution.get': { expect: 'NotFound', input: (w) => ({ dealId: w.dealWithC }) },
  'attribution.propose': {
    expect: 'NotFound',
    input: (w) => ({
      dealId: w.dealWithC,
      splits: [{ companyId: a.id, kind: 'sourced', bps: 10_000 }],
    }),
  },
  'attribution.sign': { expect: 'NotFound', input: (w) => ({ dealId: w.dealWithC, version: 1 }) },
  'attribution.submitSignature': {
    expect: 'NotFound',
    input: (w) => ({ dealId: w.dealWithC, version: 1, protected: 'e30', signature: 'AAAA' }),
  },
  'attribution.dispute': {
    expect: 'NotFound',
    input: (w) => ({ dealId: w.dealWithC, version: 1, reason: 'it was all ours' }),
  },
  'attribution.exportPreview': {
    expect: 'own data',
    input: () => ({ from: '2026-01-01', to: '2026-12-31' }),
    check: (r) => {
      // A has no sealed record: B's deal with C (won in the period) is none of A's.
      const p = r as { count: number; verifyCommand: string };
      expect(p.count).toBe(0);
      expect(p.verifyCommand).toContain(`/companies/${a.id}/`);
    },
  },
  'webhooks.list': { expect: 'own data' },
  'transparency.logKey': { expect: 'own data' },
  'transparency.logs': {
    expect: 'own data',
    check: (r) => {
      // A's only partner is delta: B's log with C is not listed.
      const logs = r as { partnerId: string }[];
      expect(logs.map((l) => l.partnerId)).not.toContain(world.companyId);
    },
  },
  'transparency.checkpoint': {
    expect: 'NotFound',
    input: (w) => ({ partnershipId: w.partnershipWithC }),
  },
  'transparency.inclusion': {
    expect: 'NotFound',
    input: (w) => ({ partnershipId: w.partnershipWithC, index: 0, size: 1 }),
  },
  'transparency.consistency': {
    expect: 'NotFound',
    input: (w) => ({ partnershipId: w.partnershipWithC, from: 1, to: 1 }),
  },
  'transparency.cosign': {
    expect: 'NotFound',
    input: (w) => ({
      partnershipId: w.partnershipWithC,
      size: 1,
      cosignature: '\u2014 a.example/witness AAAAAAAA',
    }),
  },
  'transparency.reportAlarm': {
    expect: 'NotFound',
    input: (w) => ({ partnershipId: w.partnershipWithC, detail: 'a fork' }),
  },
  'transparency.alarms': { expect: 'own data' },
  'transparency.registerWitnessKey': {
    expect: 'acts within A',
    input: () => ({
      vkey: 'a.example/witness+f8c9ae56+BAkJCQkJCQkJCQkJCQkJCQkJCQkJCQkJCQkJCQkJCQkJ',
    }),
    async check() {
      const bKeys = await server.client(bAdmin).transparency.witnessKeys.query();
      expect(bKeys).toEqual([]);
    },
  },
  'transparency.witnessKeys': { expect: 'own data' },
  'transparency.receipt': { expect: 'NotFound', input: (w) => ({ dealId: w.dealWithC }) },
  'webhooks.create': {
    expect: 'acts within A',
    input: () => ({ url: 'http://127.0.0.1:9/a-hook', status: 'paused' }),
    async check(result) {
      const { id } = result as { id: string };
      expect(id).not.toBe(world.webhookId);
      const bList = await server.client(bAdmin).webhooks.list.query();
      expect(bList.map((e) => e.id)).toEqual([world.webhookId]);
    },
  },
  'webhooks.update': {
    expect: 'NotFound',
    input: (w) => ({ id: w.webhookId, url: 'http://127.0.0.1:9/stolen', status: 'active' }),
  },
  'webhooks.remove': { expect: 'NotFound', input: (w) => ({ id: w.webhookId }) },
  'webhooks.replay': { expect: 'NotFound', input: (w) => ({ id: w.webhookId }) },
  'webhooks.deliveries': { expect: 'NotFound', input: (w) => ({ id: w.webhookId }) },
};

/** A deal A just made is A's alone: B cannot open it, and B's own deal is untouched. */
async function expectDealOnlyInA(id: string): Promise<void> {
  expect(id).not.toBe(world.dealWithC);
  expect((await refusal(server.client(bAdmin).opportunities.get.query({ id }))).data?.code).toBe(
    'NotFound',
  );
  expect(
    (await server.client(bAdmin).opportunities.get.query({ id: world.dealWithC })).externalRef,
  ).toBe(world.externalRef);
}

function sentence(path: string): string {
  const entry = cases[path];
  if (!entry) return `has a cross-tenant case for ${path}`;
  if (entry.expect === 'NotFound') return `refuses ${path} on company B's objects with NotFound`;
  if (entry.expect === 'refused') return `refuses ${path} across companies with ${entry.code}`;
  if (entry.expect === 'own data') return `answers ${path} with company A's data only`;
  return `keeps what ${path} does inside company A`;
}

beforeAll(async () => {
  server = await startTestServer();
  ({ a, c, bAdmin, bClientToken, world } = await crossTenantWorld(server));
  bStateBefore = await stateOf(bAdmin);
});
afterAll(() => server.stop());

describe('cross-tenant isolation of every procedure', () => {
  it('has a case for every procedure of the router and none for a procedure it lacks', () => {
    expect(paths.filter((p) => !(p in cases))).toEqual([]);
    expect(Object.keys(cases).filter((p) => !(p in procedures))).toEqual([]);
  });

  it.each(paths.map((path) => ({ path, name: sentence(path) })))('$name', async ({ path }) => {
    const entry = cases[path];
    if (!entry) throw new Error(`${path} has no cross-tenant case: add one to the cases table`);
    const token = await a.memberToken('admin');
    switch (entry.expect) {
      case 'NotFound': {
        const error = await refusal(call(path, token, entry.input(world)));
        expect(error.data).toMatchObject({ code: 'NotFound', httpStatus: 404 });
        break;
      }
      case 'refused': {
        const error = await refusal(call(path, token, entry.input(world)));
        expect(error.data?.code).toBe(entry.code);
        break;
      }
      case 'own data': {
        const result = await call(path, token, entry.input?.(world));
        const json = JSON.stringify(result);
        for (const id of bIds()) expect(json).not.toContain(id);
        entry.check?.(result);
        break;
      }
      case 'acts within A': {
        const result = await call(path, token, entry.input?.(world));
        await entry.check(result, token);
        break;
      }
    }
  });

  it('leaves every object of company B as it was', async () => {
    const after = await stateOf(bAdmin);
    expect(after.members.find((m) => m.id === world.sellerId)).toMatchObject({
      role: 'seller',
      disabled: false,
    });
    expect(after.clients.find((cl) => cl.id === world.clientId)).toMatchObject({ revoked: false });
    expect(after.keys.find((k) => k.kid === world.externalKid)).toMatchObject({ retiredAt: null });
    expect(after.partnerships.find((p) => p.id === world.partnershipWithC)).toMatchObject({
      status: 'active',
    });
    expect(after).toEqual(bStateBefore);
    expect((await server.client(bClientToken).partnerships.list.query()).map((p) => p.id)).toEqual([
      world.partnershipWithC,
    ]);
  });
});
