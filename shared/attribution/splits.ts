import { z } from 'zod';

/** What a participant did for the deal (design.md: Attribution). */
export const attributionKinds = ['sourced', 'influenced', 'fulfilment'] as const;
export type AttributionKind = (typeof attributionKinds)[number];

/** The basis points of a whole deal: the splits of a proposal sum to exactly this. */
export const totalBps = 10_000;

/** One participant's share of a deal, in basis points of the amount. */
export interface SplitInput {
  companyId: string;
  kind: AttributionKind;
  bps: number;
}

/** A split with its money: `amountMinor` in integer minor units of the deal currency. */
export interface AllocatedSplit extends SplitInput {
  amountMinor: number;
}

const splitSchema = z.strictObject({
  companyId: z.string().min(1).max(100).describe('The participating company'),
  kind: z.enum(attributionKinds).describe('What the company did for the deal'),
  bps: z.number().int().min(1).max(totalBps).describe('Share of the amount in basis points'),
});

/**
 * 1 to 20 splits whose basis points sum to exactly 10,000, each company at most once. A wrong
 * sum is one issue at the array (path `[]`); a repeated company is an issue at the later
 * occurrence (`[i, 'companyId']`). Whatever passes can be handed to {@link allocate}.
 */
export const splitsSchema = z
  .array(splitSchema)
  .min(1)
  .max(20)
  .superRefine((splits, ctx) => {
    // An empty list already has its `too_small` issue; "sum to 0" would only repeat it.
    if (splits.length === 0) return;
    const sum = splits.reduce((total, split) => total + split.bps, 0);
    if (sum !== totalBps) {
      ctx.addIssue({
        code: 'custom',
        path: [],
        message: `basis points must sum to 10,000 (they sum to ${sum})`,
        input: splits,
      });
    }
    const seen = new Set<string>();
    splits.forEach((split, i) => {
      if (seen.has(split.companyId)) {
        ctx.addIssue({
          code: 'custom',
          path: [i, 'companyId'],
          message: 'appears twice',
          input: split.companyId,
        });
      }
      seen.add(split.companyId);
    });
  })
  .describe('How a won deal is split among its participants');

const bpsTotal = BigInt(totalBps);

/**
 * Splits `amountMinor` into integer minor units by largest remainder: each part first gets
 * floor(amount × bps / 10,000), computed exactly in BigInt, then the units left over go one each
 * to the parts with the largest remainders, ties going to the lower `companyId` (UTF-16 code-unit
 * order, as `<` compares). So the parts sum exactly to the amount, each part is within one unit
 * of its exact share (below one when the share is not a whole number, equal when it is), and
 * each company's amount does not depend on the order the splits are listed in. The result keeps
 * the input order.
 *
 * Throws a `RangeError` when the amount is negative or not a safe integer, when a `bps` is not
 * a positive integer, when the basis points do not sum to 10,000, or when a company appears
 * twice (the tie-break needs each `companyId` once).
 */
export function allocate(amountMinor: number, splits: SplitInput[]): AllocatedSplit[] {
  if (!Number.isSafeInteger(amountMinor) || amountMinor < 0) {
    throw new RangeError(`amount must be a non-negative safe integer, got ${amountMinor}`);
  }
  let sum = 0;
  const companies = new Set<string>();
  for (const split of splits) {
    if (!Number.isInteger(split.bps) || split.bps < 1) {
      throw new RangeError(`bps must be a positive integer, got ${split.bps}`);
    }
    if (companies.has(split.companyId)) {
      throw new RangeError(`company ${split.companyId} appears twice`);
    }
    companies.add(split.companyId);
    sum += split.bps;
  }
  if (sum !== totalBps) throw new RangeError(`basis points must sum to 10,000, got ${sum}`);

  const amount = BigInt(amountMinor);
  // amount × bps reaches 2^53 × 10^4, past the safe range, hence BigInt.
  const parts = splits.map((split) => {
    const product = amount * BigInt(split.bps);
    return { companyId: split.companyId, units: product / bpsTotal, remainder: product % bpsTotal };
  });
  // The remainders sum to leftover × 10,000 and each is below 10,000, so more parts than
  // `leftover` have a non-zero remainder: no part with an exact share ever gets an extra unit.
  const leftover = Number(amount - parts.reduce((total, part) => total + part.units, 0n));
  const byRemainder = [...parts].sort(
    (a, b) => compare(b.remainder, a.remainder) || compare(a.companyId, b.companyId),
  );
  for (const part of byRemainder.slice(0, leftover)) part.units += 1n;

  return splits.map((split, i) => ({
    companyId: split.companyId,
    kind: split.kind,
    bps: split.bps,
    amountMinor: Number(parts[i]!.units),
  }));
}

function compare<T extends bigint | string>(a: T, b: T): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
