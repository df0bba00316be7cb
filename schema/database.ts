import type { Generated } from 'kysely';
import type { MemberRole, PartnerType, PartnershipStatus } from '../shared/tenancy/tenancy.ts';

/** Times are ISO 8601 UTC strings; JSON columns are text holding JSON. */
export interface CompaniesTable {
  id: string;
  slug: string;
  name: string;
  created_at: string;
}

export interface MembersTable {
  id: string;
  company_id: string;
  email: string;
  name: string;
  role: MemberRole;
  password_hash: string | null;
  created_at: string;
  disabled_at: string | null;
}

export interface SigningKeysTable {
  kid: string;
  company_id: string;
  purpose: 'access' | 'attestation';
  source: 'managed' | 'external';
  alg: 'EdDSA' | 'ES256';
  public_jwk: string;
  private_jwk_enc: string | null;
  created_at: string;
  retired_at: string | null;
}

export interface ApiClientsTable {
  id: string;
  company_id: string;
  name: string;
  /** JSON array of scope strings. */
  scopes: string;
  secret_hash: string;
  created_at: string;
  revoked_at: string | null;
}

export interface RevokedTokensTable {
  issuer: string;
  jti: string;
  company_id: string;
  expires_at: string;
  revoked_at: string;
}

export interface PartnershipsTable {
  id: string;
  inviter_id: string;
  invitee_id: string;
  partner_type: PartnerType;
  tier: string;
  status: PartnershipStatus;
  created_at: string;
  responded_at: string | null;
  ended_at: string | null;
  ended_by: string | null;
  /** The name the inviter gave (slug or id); null for invitations made before it was kept. */
  invited_as: string | null;
}

/** An invitation to a name no company holds: shown to its sender as a real one would be. */
export interface UnmatchedInvitationsTable {
  id: string;
  inviter_id: string;
  invited_as: string;
  partner_type: PartnerType;
  tier: string;
  status: 'invited' | 'ended';
  created_at: string;
  ended_at: string | null;
}

export interface LedgerEventsTable {
  seq: Generated<number>;
  deal_id: string | null;
  deal_seq: number | null;
  type: string;
  actor_company_id: string;
  actor_kind: 'member' | 'client' | 'system';
  actor_id: string;
  /** `mcp` when the principal acted through an agent (the MCP face); null otherwise. */
  actor_via: 'mcp' | null;
  /** The MCP tool the agent called; null unless `actor_via` is set. */
  actor_tool: string | null;
  /** Set when the event carries one company's private data (its CRM id): only it may read the event. */
  private_to: string | null;
  at: string;
  /** Canonical JSON (RFC 8785) of the change. */
  data: string;
  prev_hash: string;
  deal_prev_hash: string | null;
  hash: string;
}

export interface LedgerCheckpointsTable {
  size: number;
  head_hash: string;
  at: string;
  jws: string;
}

export interface DeploymentKeysTable {
  kid: string;
  public_jwk: string;
  private_jwk_enc: string;
  created_at: string;
  retired_at: string | null;
}

export interface OpportunitiesTable {
  id: string;
  originator_id: string;
  title: string;
  customer_name: string;
  customer_domain: string | null;
  customer_country: string | null;
  customer_segment: string | null;
  customer_industry: string | null;
  amount_minor: number;
  currency: string;
  stage: string;
  status: 'open' | 'won' | 'lost';
  expected_close_date: string | null;
  close_date: string | null;
  lost_reason: string | null;
  /** JSON arrays: products, help requested, contacts. */
  products: string;
  motion: string;
  next_step: string | null;
  help_requested: string;
  contacts: string;
  notes: string;
  version: number;
  /** When Tandem learned of the deal (the ledger's time). */
  created_at: string;
  updated_at: string;
  /** The deal's own dates from the CRM (see shared/opportunities/business-dates.ts); null if none. */
  business_created_at: string | null;
  business_closed_at: string | null;
  /** JSON array of { stage, at }, oldest first; null if none was pushed. */
  stage_history: string | null;
}

export type ParticipantStatus = 'invited' | 'accepted' | 'declined' | 'removed';

export interface OpportunityParticipantsTable {
  opportunity_id: string;
  company_id: string;
  role: string;
  status: ParticipantStatus;
  invited_at: string;
  responded_at: string | null;
  decline_reason: string | null;
  decline_note: string | null;
  first_deal: number;
  executive_sponsor: string | null;
  last_confirmed_at: string | null;
}

export interface OpportunityRefsTable {
  company_id: string;
  external_ref: string;
  opportunity_id: string;
}

export interface CoSellStepsTable {
  id: string;
  opportunity_id: string;
  play: string;
  title: string | null;
  owner_company_id: string;
  owner_person: string | null;
  due_date: string | null;
  status: string;
  outcome: string | null;
  created_at: string;
  updated_at: string;
}

export interface DuplicateFlagsTable {
  opportunity_id: string;
  other_opportunity_id: string;
  flagged_at: string;
  /** null while the pair is open; what a member made of it (shared/opportunities/duplicates.ts). */
  resolution: 'merged' | 'linked' | 'dismissed' | null;
  resolved_at: string | null;
  /** A merge's kept deal: the other one was closed as its duplicate. */
  kept_id: string | null;
}

export interface IdempotencyKeysTable {
  company_id: string;
  /** The member or API client that sent the key: a key is never replayed to anyone else. */
  principal_id: string;
  key: string;
  request_hash: string;
  response_status: number;
  response_body: string;
  created_at: string;
}

export interface AttributionVersionsTable {
  id: string;
  deal_id: string;
  version: number;
  status: 'proposed' | 'sealed' | 'superseded';
  close_date: string;
  statement: string;
  statement_hash: string;
  proposed_by: string;
  proposed_at: string;
  sealed_at: string | null;
  record: string | null;
}

export interface AttributionPartiesTable {
  version_id: string;
  company_id: string;
  protected: string | null;
  signature: string | null;
  signed_at: string | null;
  dispute_reason: string | null;
  disputed_at: string | null;
}

export type AccountStatus = 'customer' | 'opportunity' | 'prospect';

export interface AccountsTable {
  company_id: string;
  domain: string;
  name: string;
  status: AccountStatus;
  segment: string | null;
  industry: string | null;
  region: string | null;
  updated_at: string;
}

export interface OverlapRulesTable {
  owner_id: string;
  partner_id: string;
  level: 'none' | 'counts' | 'accounts';
  updated_at: string;
}

export type WebhookEndpointStatus = 'active' | 'paused' | 'failing';
export type WebhookDeliveryStatus = 'pending' | 'delivered' | 'failed';

export interface WebhookEndpointsTable {
  id: string;
  company_id: string;
  url: string;
  /** JSON array of event type patterns. */
  event_types: string;
  status: WebhookEndpointStatus;
  failure_reason: string | null;
  cursor: number;
  created_at: string;
  updated_at: string;
}

export interface WebhookDeliveriesTable {
  endpoint_id: string;
  seq: number;
  lane: string;
  type: string;
  status: WebhookDeliveryStatus;
  attempts: number;
  first_attempt_at: string | null;
  next_attempt_at: string;
  last_attempt_at: string | null;
  last_status_code: number | null;
  last_latency_ms: number | null;
  last_error: string | null;
  delivered_at: string | null;
  created_at: string;
}

export interface DealDocUpdatesTable {
  id: Generated<number>;
  deal_id: string;
  update: Uint8Array;
  at: string;
}

export interface NotesDueTable {
  deal_id: string;
  since: string;
}

export interface PartnerProfilesTable {
  company_id: string;
  partner_type: PartnerType;
  /** JSON array of { key, weight }. */
  dimensions: string;
  recruit: number;
  nurture: number;
  /** JSON array of segments. */
  target_segments: string;
  capacity_target: number;
  updated_at: string;
}

export interface PartnerProfileValuesTable {
  company_id: string;
  /** The partner or candidate company the value is about. */
  subject_id: string;
  dimension: string;
  value: number;
  updated_at: string;
}

export interface TransparencyLeavesTable {
  log_id: string;
  idx: number;
  event_seq: number;
}

export interface TransparencyNodesTable {
  log_id: string;
  level: number;
  idx: number;
  hash: string;
}

export interface TransparencyCursorTable {
  id: string;
  event_seq: number;
}

export interface TransparencyCheckpointsTable {
  log_id: string;
  size: number;
  root_hash: string;
  /** The C2SP signed note: checkpoint body, blank line, the log's signature line. */
  note: string;
  created_at: string;
}

export interface TransparencyCosignaturesTable {
  log_id: string;
  size: number;
  company_id: string;
  key_id: string;
  /** One note signature line (cosignature/v1), newline included. */
  line: string;
  cosigned_at: string;
}

export interface WitnessKeysTable {
  company_id: string;
  /** Hex key ID of the vkey. */
  key_id: string;
  vkey: string;
  created_at: string;
  retired_at: string | null;
}

export interface WitnessAlarmsTable {
  id: string;
  company_id: string;
  log_id: string;
  detail: string;
  reported_at: string;
}

export interface Database {
  companies: CompaniesTable;
  members: MembersTable;
  signing_keys: SigningKeysTable;
  api_clients: ApiClientsTable;
  revoked_tokens: RevokedTokensTable;
  partnerships: PartnershipsTable;
  ledger_events: LedgerEventsTable;
  ledger_checkpoints: LedgerCheckpointsTable;
  deployment_keys: DeploymentKeysTable;
  opportunities: OpportunitiesTable;
  opportunity_participants: OpportunityParticipantsTable;
  opportunity_refs: OpportunityRefsTable;
  co_sell_steps: CoSellStepsTable;
  duplicate_flags: DuplicateFlagsTable;
  idempotency_keys: IdempotencyKeysTable;
  unmatched_invitations: UnmatchedInvitationsTable;
  attribution_versions: AttributionVersionsTable;
  attribution_parties: AttributionPartiesTable;
  accounts: AccountsTable;
  overlap_rules: OverlapRulesTable;
  webhook_endpoints: WebhookEndpointsTable;
  webhook_deliveries: WebhookDeliveriesTable;
  deal_doc_updates: DealDocUpdatesTable;
  notes_due: NotesDueTable;
  partner_profiles: PartnerProfilesTable;
  partner_profile_values: PartnerProfileValuesTable;
  transparency_leaves: TransparencyLeavesTable;
  transparency_nodes: TransparencyNodesTable;
  transparency_cursor: TransparencyCursorTable;
  transparency_checkpoints: TransparencyCheckpointsTable;
  transparency_cosignatures: TransparencyCosignaturesTable;
  witness_keys: WitnessKeysTable;
  witness_alarms: WitnessAlarmsTable;
}
