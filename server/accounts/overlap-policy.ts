import { rateLimited } from '../core/domain-error.ts';
import type { RateLimit } from '../core/rate-limit.ts';

/**
 * What keeps `counts` sharing from becoming a membership oracle: a partner that uploads a list of
 * one domain and reads the counts would otherwise learn whether that account is in the owner's
 * list, and its status. A count is shown only when it covers at least `minCount` accounts
 * (k-anonymity), and lists and queries are limited per day, so comparing answers across many
 * crafted lists (differencing) is slow and bounded.
 */
export const overlapPolicy = {
  minCount: 5,
  uploadsPerDay: 20,
  queriesPerDayPerPartner: 100,
};

/** A count as a partner may see it under `counts` sharing: itself, or null below the minimum. */
export function shownCount(n: number): number | null {
  return n >= overlapPolicy.minCount ? n : null;
}

export async function chargeUpload(limiter: RateLimit, companyId: string): Promise<void> {
  const wait = await limiter.hit(`accounts:upload:${companyId}`, overlapPolicy.uploadsPerDay);
  if (wait > 0) throw rateLimited('too many account-list uploads today', wait);
}

export async function chargeOverlapQuery(
  limiter: RateLimit,
  input: { companyId: string; partnerId: string },
): Promise<void> {
  const key = `accounts:overlap:${input.companyId}:${input.partnerId}`;
  const wait = await limiter.hit(key, overlapPolicy.queriesPerDayPerPartner);
  if (wait > 0) throw rateLimited('too many overlap queries for this partner today', wait);
}
