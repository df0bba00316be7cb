import type { Segment } from '../../shared/opportunities/opportunity-fields.ts';
import type { MemberRole, PartnerType } from '../../shared/tenancy/tenancy.ts';

/** The demo's cast: one vendor and its partners, from busy to paper-only. */
export const vendor = { slug: 'northwind', name: 'Northwind Cloud' };

export interface DemoPartner {
  slug: string;
  name: string;
  type: PartnerType;
  tier: string;
  /** Share of the vendor's partner deals: a few partners drive most of the revenue. */
  weight: number;
  winRate: number;
  /**
   * The planted truth the Ideal Deal Partner should find: where a partner truly wins more (or less)
   * often than its usual rate. Ranking by revenue alone cannot see it.
   */
  segmentWin?: Partial<Record<Segment, number>>;
}

export const partners: DemoPartner[] = [
  {
    slug: 'skyline',
    name: 'Skyline Marketplace',
    type: 'marketplace',
    tier: 'premier',
    weight: 36,
    winRate: 0.46,
    segmentWin: { enterprise: 0.25, smb: 0.75 },
  },
  {
    slug: 'apex',
    name: 'Apex Resellers',
    type: 'reseller',
    tier: 'gold',
    weight: 30,
    winRate: 0.38,
  },
  {
    slug: 'bluebridge',
    name: 'Bluebridge Consulting',
    type: 'service',
    tier: 'gold',
    weight: 20,
    winRate: 0.42,
    segmentWin: { enterprise: 0.78, mid_market: 0.3 },
  },
  {
    slug: 'quanta',
    name: 'Quanta Analytics',
    type: 'technology',
    tier: 'silver',
    weight: 9,
    winRate: 0.3,
    segmentWin: { mid_market: 0.72 },
  },
  {
    slug: 'orbit',
    name: 'Orbit Referrals',
    type: 'referral',
    tier: 'registered',
    weight: 4,
    winRate: 0.2,
  },
  {
    slug: 'deltaoem',
    name: 'Delta OEM',
    type: 'oem',
    tier: 'registered',
    weight: 1,
    winRate: 0.25,
  },
];

export const roles: MemberRole[] = ['admin', 'alliance', 'seller', 'finance'];

export function email(role: MemberRole, slug: string): string {
  return `${role}@${slug}.example`;
}

export const customers = [
  ['Initech', 'initech.com', 'US', 'enterprise', 'Financial Services'],
  ['Globex', 'globex.com', 'US', 'enterprise', 'Manufacturing'],
  ['Umbrella Health', 'umbrella-health.com', 'GB', 'enterprise', 'Healthcare'],
  ['Hooli', 'hooli.com', 'US', 'enterprise', 'Technology'],
  ['Stark Logistics', 'starklogistics.de', 'DE', 'mid_market', 'Logistics'],
  ['Wayne Retail', 'wayneretail.com', 'US', 'mid_market', 'Retail'],
  ['Tyrell Bio', 'tyrellbio.com', 'US', 'mid_market', 'Life Sciences'],
  ['Soylent Foods', 'soylent.fr', 'FR', 'mid_market', 'Consumer Goods'],
  ['Cyberdyne Energy', 'cyberdyne-energy.jp', 'JP', 'enterprise', 'Energy'],
  ['Vandelay Imports', 'vandelay.com', 'US', 'smb', 'Wholesale'],
  ['Pied Piper', 'piedpiper.com', 'US', 'smb', 'Technology'],
  ['Gringotts Bank', 'gringotts.co.uk', 'GB', 'enterprise', 'Financial Services'],
  ['Duff Brewing', 'duff.com', 'US', 'smb', 'Consumer Goods'],
  ['Oscorp Labs', 'oscorp.com', 'US', 'mid_market', 'Life Sciences'],
  ['Acme Public Works', 'acme.gov', 'US', 'public_sector', 'Government'],
  ['Nakatomi Trading', 'nakatomi.jp', 'JP', 'enterprise', 'Real Estate'],
  ['Monarch Insurance', 'monarch-ins.nl', 'NL', 'mid_market', 'Insurance'],
  ['Blue Sun', 'bluesun.com', 'AU', 'enterprise', 'Energy'],
] as const;

export const projects = [
  'Data platform migration',
  'Analytics rollout',
  'Security modernisation',
  'Customer 360',
  'ML forecasting',
  'Cloud cost optimisation',
  'Marketplace private offer',
  'Disaster recovery',
];
