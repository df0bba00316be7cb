import { z } from 'zod';
import { minorExponent } from '../money/currencies.ts';

const maxFractionDigits = 12;
const maxSignificantDigits = 18;
// No sign, no exponent, no leading zeros, digits on both sides of a point: one spelling per
// written value, so a rate reads the same in every JSON and JOSE library.
const decimalPattern = /^(?:0|[1-9]\d*)(?:\.(\d+))?$/;

/** Why `rate` is not a valid rate, or undefined when it is. */
function rateProblem(rate: string): string | undefined {
  const match = decimalPattern.exec(rate);
  if (!match) return 'a plain decimal such as 1.0845 (no sign, exponent or leading zeros)';
  if ((match[1]?.length ?? 0) > maxFractionDigits) {
    return `at most ${maxFractionDigits} digits after the decimal point`;
  }
  const significant = rate.replace('.', '').replace(/^0+/, '');
  if (significant.length === 0) return 'a rate must be positive';
  if (significant.length > maxSignificantDigits) {
    return `at most ${maxSignificantDigits} significant digits`;
  }
  return undefined;
}

/**
 * An exchange rate as a decimal string: units of the target currency per one unit of the
 * source. Positive, plain notation (`1.0845`, `0.00654`, `149`), at most 12 digits after the
 * point and 18 significant digits (counted from the first non-zero digit to the last digit
 * written). Kept as a string so that the rate signed is exactly the rate used.
 */
export const rateSchema = z
  .string()
  .max(64)
  .superRefine((rate, ctx) => {
    const problem = rateProblem(rate);
    if (problem !== undefined) ctx.addIssue({ code: 'custom', message: problem, input: rate });
  })
  .describe('Units of the target currency per one unit of the source, as a decimal string');

/**
 * `amountMinor` minor units of `from` expressed in minor units of `to` at `rate`, exactly:
 * amount × rate × 10^(exponent of to − exponent of from), computed in BigInt and rounded half
 * to even (banker's rounding, so rounding errors do not drift one way over many conversions).
 * Minor exponents come from {@link minorExponent} (JPY 0, USD 2, BHD 3, CLF 4).
 *
 * Throws a `RangeError` when the amount is not a safe integer, the rate fails
 * {@link rateSchema}, or the result is beyond the safe integers; an `Error` for an unknown
 * currency code.
 */
export function convertMinor(amountMinor: number, from: string, to: string, rate: string): number {
  if (!Number.isSafeInteger(amountMinor)) {
    throw new RangeError(`amount must be a safe integer, got ${amountMinor}`);
  }
  const problem = rateProblem(rate);
  if (problem !== undefined)
    throw new RangeError(`invalid rate ${JSON.stringify(rate)}: ${problem}`);
  const [whole = '', fraction = ''] = rate.split('.');
  const rateUnits = BigInt(whole + fraction);
  const shift = minorExponent(to) - minorExponent(from) - fraction.length;

  // amount × rateUnits × 10^shift, with a negative shift done as one exact division.
  let numerator = BigInt(Math.abs(amountMinor)) * rateUnits;
  let denominator = 1n;
  if (shift >= 0) numerator *= 10n ** BigInt(shift);
  else denominator = 10n ** BigInt(-shift);
  const magnitude = roundHalfEven(numerator, denominator);
  // Half-even is symmetric around zero, so rounding the magnitude then signing it is exact.
  const result = amountMinor < 0 ? -magnitude : magnitude;
  if (result > BigInt(Number.MAX_SAFE_INTEGER) || result < BigInt(Number.MIN_SAFE_INTEGER)) {
    throw new RangeError(`converted amount ${result} is beyond the safe integers`);
  }
  return Number(result);
}

/** numerator / denominator for non-negative operands, the halfway case to the even neighbour. */
function roundHalfEven(numerator: bigint, denominator: bigint): bigint {
  const quotient = numerator / denominator;
  const twice = (numerator % denominator) * 2n;
  if (twice > denominator || (twice === denominator && quotient % 2n === 1n)) return quotient + 1n;
  return quotient;
}
