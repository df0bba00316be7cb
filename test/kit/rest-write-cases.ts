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
}
export interface Case {
  as: 'acme' | 'globex';
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
    body: () => ({}),
  },
  'webhooks.remove': { as: 'acme', path: (ids) => `/webhooks/${ids.webhookId}` },
};
