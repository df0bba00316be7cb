import { z } from 'zod';
import { normalizeDomain } from '../opportunities/customer-domain.ts';
import { segments } from '../opportunities/opportunity-fields.ts';

export const accountStatuses = ['customer', 'opportunity', 'prospect'] as const;
export const overlapLevels = ['none', 'counts', 'accounts'] as const;
export type OverlapLevel = (typeof overlapLevels)[number];

/** One account of a company's own list (its CRM's customers, open opportunities and prospects). */
export const accountInputSchema = z.strictObject({
  domain: z
    .string()
    .transform((d, ctx) => {
      const normal = normalizeDomain(d);
      if (!normal) ctx.addIssue({ code: 'custom', message: 'not a valid domain' });
      return normal ?? '';
    })
    .describe(
      'the account website or domain; matched after normalising (no scheme, no www., lower case)',
    ),
  name: z.string().trim().min(1).max(200),
  status: z.enum(accountStatuses),
  segment: z.enum(segments).optional(),
  industry: z.string().trim().min(1).max(100).optional(),
  region: z.string().trim().min(1).max(100).optional(),
});
export type AccountInput = z.output<typeof accountInputSchema>;
