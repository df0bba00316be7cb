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
}

export interface Database {
  companies: CompaniesTable;
  members: MembersTable;
  signing_keys: SigningKeysTable;
  api_clients: ApiClientsTable;
  revoked_tokens: RevokedTokensTable;
  partnerships: PartnershipsTable;
}
