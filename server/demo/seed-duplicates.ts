import type { AppDeps } from '../deps.ts';
import { createDeal } from '../opportunities/opportunity.service.ts';
import { acceptInvitation } from '../opportunities/sharing.service.ts';
import type { Principal } from '../tenants/principal.ts';
import { vendor } from './demo-world.ts';

export interface DemoDeal {
  id: string;
  title: string;
  customer: string;
  domain: string;
  /** The partner it is shared with. */
  partner: string;
}

/** How many duplicates the demo plants: few enough that a flag stands out. */
const planted = 3;

/**
 * Plants the demo's only duplicates: a partner registers, in its own name, a deal the vendor
 * already shares with it (same customer domain and title), and shares it back. These are the only
 * partner-originated deals in the demo, so a test can tell them apart. Returns how many it made.
 */
export async function seedDuplicates(
  deps: AppDeps,
  openShared: readonly DemoDeal[],
  allianceOf: (partner: string) => Principal,
  vendorAlliance: Principal,
): Promise<number> {
  const picks = openShared.slice(0, planted);
  for (const [n, deal] of picks.entries()) {
    const copy = await createDeal(deps, allianceOf(deal.partner), {
      externalRef: `${deal.partner.toUpperCase()}-REG-${n + 1}`,
      fields: {
        title: deal.title,
        customer: { name: deal.customer, domain: deal.domain },
        amountMinor: 5_000_000,
        currency: 'USD',
        notes: 'Registered by the partner in its own CRM: the same deal the vendor shared.',
      },
      shareWith: [{ partner: vendor.slug, role: 'co_seller' }],
    });
    await acceptInvitation(deps, vendorAlliance, { id: copy.id });
  }
  return picks.length;
}
