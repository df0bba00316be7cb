import { z } from 'zod';
import { attributionKinds } from './splits.ts';

/**
 * What the attribution API answers (tRPC output, REST response, OpenAPI schema). Shapes only: the
 * statement a version carries was validated when it was proposed.
 */

const statementView = z
  .object({
    format: z.string(),
    dealId: z.string(),
    version: z.number().int(),
    amountMinor: z.number().int(),
    currency: z.string(),
    closeDate: z.string(),
    splits: z.array(
      z.object({
        companyId: z.string(),
        kind: z.enum(attributionKinds),
        bps: z.number().int(),
        amountMinor: z.number().int(),
        reporting: z
          .object({ currency: z.string(), rate: z.string(), amountMinor: z.number().int() })
          .optional(),
      }),
    ),
    previousHash: z.string().nullable(),
  })
  .meta({
    id: 'AttributionStatement',
    description: 'What every participant signs: RFC 8785 canonical JSON of this object',
  });

const versionView = z
  .object({
    version: z.number().int(),
    status: z.enum(['proposed', 'sealed', 'superseded']),
    statement: statementView,
    statementHash: z.string().describe('SHA-256 (hex) of the canonical statement'),
    proposedBy: z.string(),
    proposedAt: z.string(),
    sealedAt: z.string().nullable().describe('Set when the last participant signed'),
    parties: z.array(
      z.object({
        companyId: z.string(),
        signedAt: z.string().nullable(),
        disputeReason: z.string().nullable(),
      }),
    ),
  })
  .meta({ id: 'AttributionVersion' });

export const attributionViewSchema = z
  .object({
    versions: z.array(versionView).describe('Newest first'),
    sealed: versionView.nullable().describe('The version in force: the newest sealed one'),
    needsNewVersion: z
      .boolean()
      .describe("The deal's amount, currency or participants changed since the sealed version"),
  })
  .meta({ id: 'Attribution' });
