import { z } from 'zod';
import { accountStatuses, overlapLevels } from './account-input.ts';

/** What the accounts API answers (tRPC output, REST response, OpenAPI schema). */

export const accountCountsSchema = z
  .object({
    counts: z
      .record(z.string(), z.number().int())
      .describe('Your stored accounts by status (customer, opportunity, prospect)'),
  })
  .meta({ id: 'AccountCounts' });

export const sharingRuleSchema = z
  .object({
    partner: z.string().describe('The partner company id'),
    level: z.enum(overlapLevels),
  })
  .meta({ id: 'OverlapSharingRule' });

export const overlapSchema = z
  .object({
    partner: z.string(),
    theyShare: z.enum(overlapLevels).describe("What the partner's rule lets you see"),
    iShare: z.enum(overlapLevels).describe('What your rule lets the partner see'),
    minCount: z.number().int().describe('Under `counts`, smaller counts are not shown'),
    total: z.number().int().nullable().describe('Overlapping accounts; null when not shown'),
    populations: z.array(
      z.object({ mine: z.string(), theirs: z.string(), count: z.number().int() }),
    ),
    accounts: z
      .array(
        z.object({
          domain: z.string(),
          name: z.string(),
          myStatus: z.enum(accountStatuses),
          theirStatus: z.enum(accountStatuses),
          theirSegment: z.string().nullable(),
          theirIndustry: z.string().nullable(),
        }),
      )
      .describe('Only when the partner shares `accounts`'),
  })
  .meta({ id: 'AccountOverlap' });
