/**
 * A valid request for every REST write route, keyed by procedure, in an order in which each can
 * run after the ones before it (later cases use what earlier ones made). Suites send them with
 * their own ids: their owner's (they succeed) or another company's (they must not).
 */

export interface Ids {
  dealId: string;
  toDecline: string;
  toLeave: string;
  webhookId: string;
  stepId: string;
  globexId: string;
  acmeId?: string;
  /** A won deal of acme's alone, for attribution. */
  wonDealId?: string;
  partnershipId?: string;
  memberId?: string;
  clientId?: string;
  kid?: string;
  /** A partner (id or slug) for account sharing and profile values. */
  partner?: string;
  /** Another deal of acme's flagged as a possible duplicate of `dealId`. */
  twinId?: string;
}
export interface Case {
  /** initech: a third company, invited by acme. */
  as: 'acme' | 'globex' | 'initech';
  /**
   * The write is refused by the rules (a 4xx), and the refusal is what is kept and replayed:
   * one case per procedure cannot always set up the state its success needs.
   */
  refused?: boolean;
  /** The write ends the caller's own token, so a retry is refused (401) rather than replayed. */
  endsToken?: boolean;
  path: (ids: Ids) => string;
  body?: (ids: Ids) => unknown;
  /** Keeps what later cases need from the answer. */
  keep?: (body: Record<string, unknown>, ids: Ids) => void;
}

export const fields = (title: string) => ({
  title,
  customer: { name: 'Initech', domain: 'initech.example' },
  amountMinor: 500_000,
  currency: 'EUR',
});
/** A public key acme's own backend would sign with (its private half is nowhere). */
const externalJwk = {
  kty: 'OKP',
  crv: 'Ed25519',
  x: 'gPzYjU_PC_bq41wH6NOpZTY4gG8TjkQYIk4Or2xGkGA',
};
const shareWithGlobex = [{ partner: 'globex', role: 'co_seller' }];

// In the order they run: later cases use what earlier ones made.
export const restWriteCases: Record<string, Case> = {
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
        {
          externalRef: 'crm-won',
          fields: { ...fields('Won alone'), stage: 'won', closeDate: '2026-03-01' },
        },
      ],
    }),
    keep: (b, ids) => {
      const items = b.results as { id: string }[];
      ids.toDecline = items[0]!.id;
      ids.toLeave = items[1]!.id;
      ids.wonDealId = items[2]!.id;
    },
  },
  'opportunities.upsert': {
    as: 'acme',
    path: () => '/opportunities/by-ref/crm-upsert',
    // The create's title and customer again: flagged as a possible duplicate of it.
    body: () => ({ fields: fields('Keyed create') }),
    keep: (b, ids) => (ids.twinId = String(b.id)),
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
  // The pair create and upsert made: linked, then dismissed, then the upsert's deal merged.
  'opportunities.linkDuplicate': {
    as: 'acme',
    path: (ids) => `/opportunities/${ids.dealId}/duplicates/${ids.twinId ?? ids.dealId}/link`,
  },
  'opportunities.dismissDuplicate': {
    as: 'acme',
    path: (ids) => `/opportunities/${ids.dealId}/duplicates/${ids.twinId ?? ids.dealId}/dismiss`,
  },
  'opportunities.mergeDuplicate': {
    as: 'acme',
    path: (ids) => `/opportunities/${ids.dealId}/duplicates/${ids.twinId ?? ids.dealId}/merge`,
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
    body: () => ({}),
  },
  'webhooks.remove': { as: 'acme', path: (ids) => `/webhooks/${ids.webhookId}` },
  'attribution.propose': {
    as: 'acme',
    path: (ids) => `/opportunities/${ids.wonDealId}/attribution`,
    body: (ids) => ({ splits: [{ companyId: ids.acmeId, kind: 'sourced', bps: 10_000 }] }),
  },
  'attribution.dispute': {
    as: 'acme',
    path: (ids) => `/opportunities/${ids.wonDealId}/attribution/1/dispute`,
    body: () => ({ reason: 'the split leaves out the reseller' }),
  },
  // Acme holds no key of its own to sign with, so a made-up signature is refused.
  'attribution.submitSignature': {
    as: 'acme',
    refused: true,
    path: (ids) => `/opportunities/${ids.wonDealId}/attribution/1/signatures`,
    body: () => ({ protected: 'eyJhbGciOiJFZERTQSJ9', signature: 'bm90LWEtc2lnbmF0dXJl' }),
  },
  'attribution.sign': {
    as: 'acme',
    path: (ids) => `/opportunities/${ids.wonDealId}/attribution/1/sign`,
  },
  'accounts.upload': {
    as: 'acme',
    path: () => '/accounts',
    body: () => ({
      accounts: [{ domain: 'initech.example', name: 'Initech', status: 'customer' }],
    }),
  },
  'accounts.setSharing': {
    as: 'acme',
    path: (ids) => `/accounts/sharing/${ids.partner ?? 'globex'}`,
    body: () => ({ level: 'counts' }),
  },
  'partnerProfiles.set': {
    as: 'acme',
    path: () => '/partner-profiles/reseller',
    body: () => ({
      dimensions: [{ key: 'segment_fit', weight: 1 }],
      thresholds: { recruit: 0.7, nurture: 0.4 },
    }),
  },
  'partnerProfiles.setValues': {
    as: 'acme',
    path: (ids) => `/partner-profiles/values/${ids.partner ?? 'globex'}`,
    body: () => ({ values: { reach: 0.5 } }),
  },
  'partnerships.invite': {
    as: 'acme',
    path: () => '/partnerships',
    body: () => ({ partner: 'initech', partnerType: 'service' }),
    keep: (b, ids) => (ids.partnershipId = String(b.id)),
  },
  'partnerships.accept': {
    as: 'initech',
    path: (ids) => `/partnerships/${ids.partnershipId}/accept`,
  },
  'transparency.registerWitnessKey': {
    as: 'acme',
    path: () => '/transparency/witness-keys',
    body: () => ({
      vkey: 'acme.example/witness+fc714af4+BAkJCQkJCQkJCQkJCQkJCQkJCQkJCQkJCQkJCQkJCQkJ',
    }),
  },
  // The partnership with initech holds no shared deal yet: its log is empty, so no checkpoint.
  'transparency.checkpoint': {
    as: 'acme',
    path: (ids) => `/partnerships/${ids.partnershipId}/log/checkpoints`,
    body: () => ({}),
  },
  'transparency.cosign': {
    as: 'acme',
    refused: true,
    path: (ids) => `/partnerships/${ids.partnershipId}/log/cosignatures`,
    body: () => ({ size: 1, cosignature: '\u2014 acme.example/witness AAAAAAAA' }),
  },
  'transparency.reportAlarm': {
    as: 'acme',
    path: (ids) => `/partnerships/${ids.partnershipId}/log/alarms`,
    body: () => ({ detail: 'the log shrank' }),
  },
  // The invitation was accepted just before: there is nothing left to decline.
  'partnerships.decline': {
    as: 'initech',
    refused: true,
    path: (ids) => `/partnerships/${ids.partnershipId}/decline`,
  },
  'partnerships.end': { as: 'acme', path: (ids) => `/partnerships/${ids.partnershipId}/end` },
  'members.add': {
    as: 'acme',
    path: () => '/members',
    body: () => ({ email: 'grace@acme.test', name: 'Grace Hopper', role: 'viewer' }),
    keep: (b, ids) => (ids.memberId = String(b.id)),
  },
  'members.setRole': {
    as: 'acme',
    path: (ids) => `/members/${ids.memberId}/role`,
    body: () => ({ role: 'finance' }),
  },
  'members.setPassword': {
    as: 'acme',
    path: (ids) => `/members/${ids.memberId}/password`,
    body: () => ({ password: 'a long enough password' }),
  },
  'members.disable': { as: 'acme', path: (ids) => `/members/${ids.memberId}/disable` },
  'clients.create': {
    as: 'acme',
    path: () => '/clients',
    body: () => ({ name: 'CRM sync', scopes: ['opportunities:read'] }),
    keep: (b, ids) => (ids.clientId = String((b.client as { id: string }).id)),
  },
  'clients.revoke': { as: 'acme', path: (ids) => `/clients/${ids.clientId}/revoke` },
  'keys.rotate': { as: 'acme', path: () => '/keys', body: () => ({ purpose: 'attestation' }) },
  'keys.registerExternal': {
    as: 'acme',
    path: () => '/keys/external',
    body: () => ({ jwk: externalJwk }),
    keep: (b, ids) => (ids.kid = String(b.kid)),
  },
  'keys.retire': { as: 'acme', path: (ids) => `/keys/${ids.kid}/retire` },
  'tokens.revoke': { as: 'acme', path: () => '/revoked-tokens', body: () => ({ jti: 'tok-lost' }) },
  // Last: it ends the token the cases above were sent with.
  'tokens.revokeCurrent': { as: 'acme', endsToken: true, path: () => '/token' },
};
