import type { Migration } from 'kysely';
import * as createCompanies from './2026_11_25_100000_create_companies.ts';
import * as createSigningKeys from './2026_11_25_100100_create_signing_keys.ts';
import * as createApiClients from './2026_11_25_100200_create_api_clients.ts';
import * as notifyTokenChanges from './2026_12_07_100000_notify_token_changes.ts';
import * as createRevokedTokens from './2026_11_25_100300_create_revoked_tokens.ts';
import * as createPartnerships from './2026_11_25_100400_create_partnerships.ts';
import * as createLedger from './2026_11_25_110000_create_ledger.ts';
import * as createOpportunities from './2026_11_25_110100_create_opportunities.ts';
import * as createAttribution from './2026_11_25_120000_create_attribution.ts';
import * as createAccounts from './2026_11_25_130000_create_accounts.ts';
import * as createDealDocs from './2026_11_25_135000_create_deal_docs.ts';
import * as createWebhooks from './2026_12_01_100000_create_webhooks.ts';
import * as createPartnerProfiles from './2026_12_01_110000_create_partner_profiles.ts';
import * as createNotesDue from './2026_12_02_100000_create_notes_due.ts';
import * as scopeIdempotencyKeys from './2026_12_04_100000_scope_idempotency_keys.ts';
import * as createUnmatchedInvitations from './2026_12_04_110000_create_unmatched_invitations.ts';
import * as ledgerActorVia from './2026_12_07_120000_ledger_actor_via.ts';
import * as dealBusinessDates from './2026_12_07_130000_deal_business_dates.ts';
import * as createTransparencyLog from './2026_12_07_140000_create_transparency_log.ts';
import * as clusterRelay from './2026_12_07_160000_cluster_relay.ts';
import * as createClusterLimits from './2026_12_07_170000_create_cluster_limits.ts';
import * as createInsightsBuilds from './2026_12_07_180000_create_insights_builds.ts';
import * as duplicateResolutions from './2026_12_07_190000_duplicate_resolutions.ts';
import * as webhookDeliveriesDue from './2026_12_07_200000_webhook_deliveries_due.ts';

/** Every migration, by name; names sort in the order they run. Append only. */
export const migrations: Record<string, Migration> = {
  '2026_11_25_100000_create_companies': createCompanies,
  '2026_11_25_100100_create_signing_keys': createSigningKeys,
  '2026_11_25_100200_create_api_clients': createApiClients,
  '2026_11_25_100300_create_revoked_tokens': createRevokedTokens,
  '2026_11_25_100400_create_partnerships': createPartnerships,
  '2026_11_25_110000_create_ledger': createLedger,
  '2026_11_25_110100_create_opportunities': createOpportunities,
  '2026_11_25_120000_create_attribution': createAttribution,
  '2026_11_25_130000_create_accounts': createAccounts,
  '2026_11_25_135000_create_deal_docs': createDealDocs,
  '2026_12_01_100000_create_webhooks': createWebhooks,
  '2026_12_01_110000_create_partner_profiles': createPartnerProfiles,
  '2026_12_02_100000_create_notes_due': createNotesDue,
  '2026_12_04_100000_scope_idempotency_keys': scopeIdempotencyKeys,
  '2026_12_04_110000_create_unmatched_invitations': createUnmatchedInvitations,
  '2026_12_07_100000_notify_token_changes': notifyTokenChanges,
  '2026_12_07_120000_ledger_actor_via': ledgerActorVia,
  '2026_12_07_130000_deal_business_dates': dealBusinessDates,
  '2026_12_07_140000_create_transparency_log': createTransparencyLog,
  '2026_12_07_160000_cluster_relay': clusterRelay,
  '2026_12_07_170000_create_cluster_limits': createClusterLimits,
  '2026_12_07_180000_create_insights_builds': createInsightsBuilds,
  '2026_12_07_190000_duplicate_resolutions': duplicateResolutions,
  '2026_12_07_200000_webhook_deliveries_due': webhookDeliveriesDue,
};
