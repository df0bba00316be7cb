import { z } from 'zod';
import { DomainError } from '../core/domain-error.ts';

export const periodInput = z.strictObject({
  period: z
    .string()
    .regex(/^\d{4}-Q[1-4]$/, 'a quarter such as 2026-Q3')
    .optional(),
  from: z.iso.date().optional(),
  to: z.iso.date().optional(),
});

/** `2026-Q3` → 2026-07-01 … 2026-09-30; or explicit from/to dates (inclusive). Raises ValidationFailed. */
export function periodRange(input: z.output<typeof periodInput>): {
  from: string;
  to: string;
  label: string;
} {
  if (input.period && !input.from && !input.to) {
    const [year, q] = [Number(input.period.slice(0, 4)), Number(input.period.slice(6))];
    const from = new Date(Date.UTC(year, (q - 1) * 3, 1));
    const to = new Date(Date.UTC(year, q * 3, 0));
    return {
      from: from.toISOString().slice(0, 10),
      to: to.toISOString().slice(0, 10),
      label: input.period,
    };
  }
  if (!input.period && input.from && input.to && input.from <= input.to) {
    return { from: input.from, to: input.to, label: `${input.from}..${input.to}` };
  }
  throw new DomainError(
    'ValidationFailed',
    'give a period (2026-Q3) or from and to dates, from ≤ to',
    [{ path: 'period', message: 'a quarter, or from and to instead' }],
  );
}
