/**
 * Possible duplicates: why two deals look like one, and what a member may do about a pair.
 *
 * The matcher (server/opportunities/opportunity.repository.ts, `findTwins`) flags a new deal
 * against the open deals its company takes part in with the same customer domain and the same
 * title, case aside. A flagged pair then says *why* from the two deals as they stand now: the
 * matcher's own keys and whatever else they share.
 */

/** Why two deals look like one, strongest first. */
export const duplicateReasons = [
  'same_customer_domain',
  'same_title',
  'similar_title',
  'same_customer_name',
  'same_amount',
  'same_expected_close_date',
] as const;
export type DuplicateReason = (typeof duplicateReasons)[number];

/** What became of a flagged pair: merged (one closed into the other), linked (related), dismissed. */
export const duplicateResolutions = ['merged', 'linked', 'dismissed'] as const;
export type DuplicateResolution = (typeof duplicateResolutions)[number];

/** How a deal stands to a resolved twin: linked to it, closed into it, or the one kept. */
export const dealRelations = ['linked', 'merged_into', 'merged_from'] as const;
export type DealRelation = (typeof dealRelations)[number];

/** The fields a reason compares; `undefined` where the caller may not see that field of a deal. */
export interface ComparableDeal {
  title: string;
  customerName: string;
  customerDomain?: string | null | undefined;
  amountMinor?: number | null | undefined;
  currency?: string | null | undefined;
  expectedCloseDate?: string | null | undefined;
}

/** Lower case, every run of anything but letters and digits one space: `Data-Platform ` → `data platform`. */
function normalized(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

/**
 * Titles that differ in more than case but read as one: the same words once punctuation and
 * spacing go, or one title (of two words or more) the other's with words added (`Data platform` /
 * `Data platform phase 2`).
 */
function similarTitles(a: string, b: string): boolean {
  const x = normalized(a);
  const y = normalized(b);
  if (!x || !y) return false;
  if (x === y) return true;
  const [short, long] = x.length <= y.length ? [x, y] : [y, x];
  // Two words at least: one generic word ("Data") is in too many titles to mean anything.
  return short.includes(' ') && ` ${long} `.includes(` ${short} `);
}

const present = <T>(v: T | null | undefined): v is T => v !== undefined && v !== null && v !== '';

/**
 * Why `a` and `b` look like one deal, from the fields the caller may see of both (a field either
 * side leaves undefined is not compared), strongest first. Empty when nothing matches any more
 * (a title changed since the flag, say).
 */
export function reasonsFor(a: ComparableDeal, b: ComparableDeal): DuplicateReason[] {
  const out: DuplicateReason[] = [];
  if (
    present(a.customerDomain) &&
    present(b.customerDomain) &&
    a.customerDomain === b.customerDomain
  )
    out.push('same_customer_domain');
  if (a.title.toLowerCase() === b.title.toLowerCase()) out.push('same_title');
  else if (similarTitles(a.title, b.title)) out.push('similar_title');
  if (normalized(a.customerName) === normalized(b.customerName)) out.push('same_customer_name');
  if (
    present(a.amountMinor) &&
    present(b.amountMinor) &&
    present(a.currency) &&
    a.amountMinor === b.amountMinor &&
    a.currency === b.currency
  )
    out.push('same_amount');
  if (
    present(a.expectedCloseDate) &&
    present(b.expectedCloseDate) &&
    a.expectedCloseDate === b.expectedCloseDate
  )
    out.push('same_expected_close_date');
  return out;
}
