import { z } from 'zod';
import { partnerTypes } from '../tenancy/tenancy.ts';
import { buckets } from './partner-profile.ts';

/**
 * What the partner-profile API answers. Loose objects: the fields named here are the contract,
 * and anything added later passes through rather than being dropped.
 */

export const partnerProfileSchema = z
  .looseObject({
    partnerType: z.enum(partnerTypes),
    dimensions: z.array(z.looseObject({ key: z.string(), weight: z.number() })),
    thresholds: z.looseObject({ recruit: z.number(), nurture: z.number() }),
    targetSegments: z.array(z.string()),
    capacityTarget: z.number().int(),
  })
  .meta({ id: 'PartnerProfile' });

const subjectView = z.looseObject({
  id: z.string(),
  slug: z.string(),
  name: z.string(),
  type: z.enum(partnerTypes),
  status: z.enum(['partner', 'candidate']),
});

const dimensionValues = z
  .record(z.string(), z.number().nullable())
  .describe('dimension → value 0…1; null when unknown');

export const profileValuesSchema = z
  .object({ subject: z.string(), values: dimensionValues })
  .meta({ id: 'ProfileValues' });

export const profileScoresSchema = z
  .array(
    z.looseObject({
      company: subjectView,
      score: z.number(),
      bucket: z.enum(buckets),
      unknown: z.array(z.string()).describe('Dimensions counted as zero for lack of a value'),
      values: dimensionValues,
    }),
  )
  .meta({ id: 'ProfileScores' });

export const profileReviewSchema = z
  .looseObject({
    partnerType: z.enum(partnerTypes),
    quarters: z.number().int(),
    subjects: z.number().int(),
    scoreVsProduction: z.number().nullable(),
    dimensions: z.array(
      z.looseObject({
        key: z.string(),
        weight: z.number(),
        correlation: z.number().nullable(),
        proposed: z.number(),
      }),
    ),
    partners: z.array(
      z.looseObject({
        company: subjectView,
        score: z.number(),
        production: z.number(),
        values: dimensionValues,
      }),
    ),
    builtinDimensions: z.array(z.string()),
  })
  .meta({ id: 'ProfileWeightReview' });
