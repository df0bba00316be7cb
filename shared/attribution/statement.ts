import { z } from 'zod';
import { canonicalJson } from '../ledger/canonical-json.ts';
import { currencySchema } from '../money/currencies.ts';
import { convertMinor, rateSchema } from './exchange.ts';
import {
  allocate,
  attributionKinds,
  splitsSchema,
  totalBps,
  type AllocatedSplit,
  type SplitInput,
} from './splits.ts';

/** The `format` of every attribution statement this module writes; bumped on any change of shape. */
export const statementFormat = 'tandem.attribution/1';

/** A split as signed: its share of the deal and, for a company that reports in another currency, that amount converted. */
export type StatementSplit = AllocatedSplit & {
  reporting?: { currency: string; rate: string; amountMinor: number };
};

/**
 * What every participant of a won deal signs (design.md: Attribution, Trust model). `splits`
 * are ordered by `companyId`; `reporting` carries the rate fixed at close. `previousHash` is the
 * hash of the version this one supersedes: null for version 1 only.
 */
export interface AttributionStatement {
  format: typeof statementFormat;
  dealId: string;
  version: number;
  amountMinor: number;
  currency: string;
  closeDate: string;
  splits: StatementSplit[];
  previousHash: string | null;
}

const minorUnits = z.number().int().min(0);

const statementSplitSchema = z.strictObject({
  companyId: z.string().min(1).max(100),
  kind: z.enum(attributionKinds),
  bps: z.number().int().min(1).max(totalBps),
  amountMinor: minorUnits.describe('Share of the deal amount, minor units of the deal currency'),
  reporting: z
    .strictObject({ currency: currencySchema, rate: rateSchema, amountMinor: minorUnits })
    .optional()
    .describe('The share in the currency the company reports in, at the rate fixed at close'),
});

/**
 * A well-formed statement, unknown keys refused at every level, whose numbers are the ones
 * {@link buildStatement} would write: splits as {@link splitsSchema} requires and ordered by
 * `companyId`, each `amountMinor` the {@link allocate} share, each reporting amount the
 * {@link convertMinor} of it, and `previousHash` (lower-case hex SHA-256) null exactly for
 * version 1. The cross-field checks run only once every field is valid on its own.
 */
export const statementSchema = z
  .strictObject({
    format: z.literal(statementFormat),
    dealId: z.string().min(1).max(100),
    version: z.number().int().min(1),
    amountMinor: minorUnits,
    currency: currencySchema,
    closeDate: z.iso.date(),
    splits: z.array(statementSplitSchema).min(1).max(20),
    previousHash: z
      .string()
      .regex(/^[0-9a-f]{64}$/, { error: 'a lower-case hex SHA-256' })
      .nullable(),
  })
  .superRefine(
    (statement, ctx) => {
      const issue = (path: PropertyKey[], message: string) =>
        ctx.addIssue({ code: 'custom', path, message, input: statement });
      if ((statement.version === 1) !== (statement.previousHash === null)) {
        issue(['previousHash'], 'null for version 1 and only for version 1');
      }
      const { splits } = statement;
      const shares = splitsSchema.safeParse(
        splits.map(({ companyId, kind, bps }) => ({ companyId, kind, bps })),
      );
      for (const { path, message } of shares.error?.issues ?? [])
        issue(['splits', ...path], message);
      splits.forEach((split, i) => {
        if (i > 0 && splits[i - 1]!.companyId > split.companyId) {
          issue(['splits', i, 'companyId'], 'splits must be ordered by companyId');
        }
      });
      // allocate() throws on the faults just reported; the amounts mean nothing until they are fixed.
      if (!shares.success) return;
      const expected = allocate(statement.amountMinor, splits);
      splits.forEach((split, i) => {
        const share = expected[i]!.amountMinor;
        if (split.amountMinor !== share) {
          issue(['splits', i, 'amountMinor'], `the largest-remainder share is ${share}`);
        }
        if (split.reporting === undefined) return;
        const { currency, rate, amountMinor } = split.reporting;
        try {
          const converted = convertMinor(share, statement.currency, currency, rate);
          if (amountMinor !== converted) {
            issue(['splits', i, 'reporting', 'amountMinor'], `${share} at ${rate} is ${converted}`);
          }
        } catch (error) {
          issue(['splits', i, 'reporting', 'amountMinor'], (error as Error).message);
        }
      });
    },
    { when: (payload) => payload.issues.length === 0 },
  )
  .describe(
    'An attribution statement, as its participants sign it',
  ) satisfies z.ZodType<AttributionStatement>;

/** What {@link buildStatement} needs; `reporting` is keyed by `companyId`. */
export interface StatementInput {
  dealId: string;
  version: number;
  amountMinor: number;
  currency: string;
  closeDate: string;
  splits: SplitInput[];
  reporting?: Record<string, { currency: string; rate: string }>;
  previousHash: string | null;
}

/**
 * The statement for a deal: the amount split by {@link allocate}, splits ordered by `companyId`
 * (so equal input in any order gives one canonical text), and for each company in `reporting`
 * its share converted at the given rate. The result passes {@link statementSchema}.
 *
 * Throws a `RangeError` from {@link allocate} or {@link convertMinor}, or when `reporting`
 * names a company that has no split; a `ZodError` when another field is malformed.
 */
export function buildStatement(input: StatementInput): AttributionStatement {
  const reporting = input.reporting ?? {};
  const participants = new Set(input.splits.map((split) => split.companyId));
  for (const companyId of Object.keys(reporting)) {
    if (!participants.has(companyId)) {
      throw new RangeError(`reporting names ${companyId}, which has no split`);
    }
  }
  const splits = allocate(input.amountMinor, input.splits)
    // Code-unit order, as RFC 8785 orders keys: no locale can reorder it.
    .sort((a, b) => (a.companyId < b.companyId ? -1 : a.companyId > b.companyId ? 1 : 0))
    .map(({ companyId, kind, bps, amountMinor }): StatementSplit => {
      // hasOwn: a companyId such as `constructor` must not find Object.prototype members.
      const rate = Object.hasOwn(reporting, companyId) ? reporting[companyId] : undefined;
      if (rate === undefined) return { companyId, kind, bps, amountMinor };
      const converted = convertMinor(amountMinor, input.currency, rate.currency, rate.rate);
      return {
        companyId,
        kind,
        bps,
        amountMinor,
        reporting: { currency: rate.currency, rate: rate.rate, amountMinor: converted },
      };
    });
  return statementSchema.parse({
    format: statementFormat,
    dealId: input.dealId,
    version: input.version,
    amountMinor: input.amountMinor,
    currency: input.currency,
    closeDate: input.closeDate,
    splits,
    previousHash: input.previousHash,
  });
}

/** The RFC 8785 text of a statement: the exact bytes its participants sign. */
export function canonicalStatement(statement: AttributionStatement): string {
  return canonicalJson(statement);
}

/**
 * True only when `json` is byte for byte the RFC 8785 form of the JSON it holds: no whitespace,
 * keys sorted, no duplicate keys, numbers in shortest form. Invalid JSON is false, not an error.
 * Says nothing of the content: parse it with {@link statementSchema} for that.
 */
export function isCanonical(json: string): boolean {
  try {
    return canonicalJson(JSON.parse(json)) === json;
  } catch {
    return false;
  }
}
