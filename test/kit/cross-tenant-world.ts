import { decodeJwt, exportJWK, generateKeyPair, type JWK } from 'jose';
import type { TestServer } from './harness.ts';

// The world of the cross-tenant suite (cross-tenant.test.ts): company A, the caller, with objects
// of its own, and company B's objects, which A must never see or change.

type PublicJwk = JWK & { kty: string; crv: string; x: string };

/** B's objects, and the public key B registered (A tries to register it as its own). */
export interface BWorld {
  companyId: string;
  adminId: string;
  adminJti: string;
  sellerId: string;
  sellerEmail: string;
  clientId: string;
  externalKid: string;
  externalJwk: PublicJwk;
  partnershipWithC: string;
  /** B's deal shared with C (accepted), with a co-sell step, and B's private CRM id for it. */
  dealWithC: string;
  stepId: string;
  externalRef: string;
  /** B's webhook endpoint (paused). */
  webhookId: string;
}

/** The fields of A's and B's deals: the same strings on both sides, so only ids tell them apart. */
export const dealFields = {
  title: 'Cross-tenant probe',
  customer: { name: 'Probe Corp', domain: 'probe.example' },
  amountMinor: 100,
  currency: 'EUR',
};

async function ed25519PublicJwk(): Promise<PublicJwk> {
  const { publicKey } = await generateKeyPair('EdDSA', { crv: 'Ed25519', extractable: true });
  return { kty: 'OKP', crv: 'Ed25519', x: (await exportJWK(publicKey)).x ?? '' };
}

/** Companies A, B, C (B's partner) and D (A's partner), with B's objects in `world`. */
export async function crossTenantWorld(server: TestServer) {
  const [a, b, c] = [
    await server.company('alpha'),
    await server.company('bravo'),
    await server.company('charlie'),
  ];
  const delta = await server.company('delta');

  // A's own objects, so its lists have something to show.
  const aAdmin = await a.memberToken('admin');
  await a.clientToken(['partners:read']);
  const aDelta = await server
    .client(aAdmin)
    .partnerships.invite.mutate({ partner: delta.slug, partnerType: 'oem' });
  await server
    .client(await delta.memberToken('admin'))
    .partnerships.accept.mutate({ partnershipId: aDelta.id });

  const bAdmin = await b.memberToken('admin');
  const bClient = server.client(bAdmin);
  const sellerToken = await b.memberToken('seller');
  const seller = (await server.client(sellerToken).companies.me.query()).principal;
  await bClient.members.setPassword.mutate({
    memberId: seller.id,
    password: 'b-seller-password-1',
  });
  const bSellerEmail = (await bClient.members.list.query()).find((m) => m.id === seller.id)!.email;
  // The password is right for B: only the company A names makes auth.login refuse it.
  await server.client().auth.login.mutate({
    company: b.slug,
    email: bSellerEmail,
    password: 'b-seller-password-1',
  });
  const bApiClient = await b.clientToken(['partners:read']);
  const bJwk = await ed25519PublicJwk();
  const external = await bClient.keys.registerExternal.mutate({ jwk: bJwk, purpose: 'access' });
  const invite = await bClient.partnerships.invite.mutate({
    partner: c.slug,
    partnerType: 'reseller',
    tier: 'gold',
  });
  const cAdmin = server.client(await c.memberToken('admin'));
  await cAdmin.partnerships.accept.mutate({ partnershipId: invite.id });
  const bDealWithC = async (client: typeof bClient) => {
    const deal = await client.opportunities.create.mutate({
      fields: dealFields,
      externalRef: 'B-CRM-1',
      shareWith: [{ partner: c.slug, role: 'co_seller' }],
    });
    await cAdmin.opportunities.accept.mutate({ id: deal.id });
    const step = await client.steps.add.mutate({
      dealId: deal.id,
      step: { play: 'intro', ownerCompanyId: c.id },
    });
    // Won, with attribution version 1 proposed: something to sign, dispute or re-propose.
    await client.opportunities.update.mutate({
      id: deal.id,
      patch: { stage: 'won', closeDate: '2026-10-01' },
    });
    await client.attribution.propose.mutate({
      dealId: deal.id,
      splits: [
        { companyId: b.id, kind: 'sourced', bps: 5000 },
        { companyId: c.id, kind: 'fulfilment', bps: 5000 },
      ],
    });
    return { dealWithC: deal.id, stepId: step.id, externalRef: 'B-CRM-1' };
  };
  // A's own deal, shared with delta, so A's list and feed have something to show.
  await server.client(aAdmin).opportunities.create.mutate({
    fields: dealFields,
    shareWith: [{ partner: delta.slug, role: 'reseller' }],
  });

  const world: BWorld = {
    companyId: b.id,
    adminId: (await bClient.companies.me.query()).principal.id,
    adminJti: decodeJwt(bAdmin).jti!,
    sellerId: seller.id,
    sellerEmail: (await bClient.members.list.query()).find((m) => m.id === seller.id)!.email,
    clientId: bApiClient.clientId,
    externalKid: external.kid,
    // B's public key under B's kid: A may register the same key, but only under a kid of its own.
    externalJwk: { ...bJwk, kid: external.kid },
    partnershipWithC: invite.id,
    ...(await bDealWithC(bClient)),
    webhookId: (
      await bClient.webhooks.create.mutate({ url: 'http://127.0.0.1:9/b-hook', status: 'paused' })
    ).id,
  };
  return { a, b, c, delta, bAdmin, bClientToken: bApiClient.token, world };
}
