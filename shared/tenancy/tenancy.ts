/** Roles a member holds in its own company. */
export const memberRoles = ['admin', 'alliance', 'seller', 'finance', 'viewer'] as const;
export type MemberRole = (typeof memberRoles)[number];

/** What the partner is to the company that invited it (design.md: Partnership). */
export const partnerTypes = [
  'reseller',
  'referral',
  'oem',
  'service',
  'marketplace',
  'technology',
] as const;
export type PartnerType = (typeof partnerTypes)[number];

export const partnershipStatuses = ['invited', 'active', 'declined', 'ended'] as const;
export type PartnershipStatus = (typeof partnershipStatuses)[number];

/**
 * Scopes are the unit of permission. API clients are granted scopes directly; members get the
 * scopes of their role. Procedures name the scope they need.
 */
export const scopes = [
  'opportunities:read',
  'opportunities:write',
  'attribution:sign',
  'export:read',
  'partners:read',
  'partners:manage',
  'webhooks:manage',
  'company:admin',
] as const;
export type Scope = (typeof scopes)[number];

export const roleScopes: Record<MemberRole, readonly Scope[]> = {
  admin: scopes,
  alliance: [
    'opportunities:read',
    'opportunities:write',
    'partners:read',
    'partners:manage',
    'webhooks:manage',
  ],
  seller: ['opportunities:read', 'opportunities:write', 'partners:read'],
  finance: ['opportunities:read', 'attribution:sign', 'export:read', 'partners:read'],
  viewer: ['opportunities:read', 'partners:read'],
};

/** A slug names a company in URLs and the CLI. */
export const slugPattern = /^[a-z0-9](?:[a-z0-9-]{0,38}[a-z0-9])?$/;
