import { z } from 'zod';
import { accountStatuses, overlapLevels } from '../accounts/account-input.ts';
import { partnerTypes } from '../tenancy/tenancy.ts';
import { featureNames } from './partner-features.ts';

/** One partner in an Ideal Deal Partner ranking, with the reasons behind its place. */
export const idealPartnerSchema = z
  .object({
    rank: z.number().int(),
    partner: z.object({
      id: z.string(),
      slug: z.string(),
      name: z.string(),
      type: z.enum(partnerTypes),
      tier: z.string(),
    }),
    probability: z.number().describe('Estimated probability of winning the deal with this partner'),
    lift: z
      .number()
      .describe('probability minus your usual win rate in the segment and industry (the baseline)'),
    activated: z.boolean(),
    reasons: z
      .array(
        z.object({
          factor: z.enum(featureNames),
          detail: z.string(),
          contribution: z
            .number()
            .describe("its push on this partner's score beyond the candidates' average (log-odds)"),
        }),
      )
      .describe(
        'What sets this partner apart, strongest first; every number is from your closed deals',
      ),
    record: z
      .object({
        closed: z.number().int(),
        won: z.number().int(),
        segmentClosed: z.number().int(),
        segmentWon: z.number().int(),
        avgWonAmount: z.number().nullable(),
        avgCycleDays: z
          .number()
          .nullable()
          .describe('null until the history carries business dates (cycle times spread)'),
        open: z.number().int(),
        thin: z
          .boolean()
          .describe('Too few closed deals with you to judge: ranked near your usual rate'),
      })
      .describe("The partner's record on deals with you"),
    accounts: z
      .object({
        theyShare: z.enum(overlapLevels),
        customerStatus: z
          .enum(accountStatuses)
          .nullable()
          .describe("The customer's status in the partner's list; null unless they share accounts"),
      })
      .describe('Only what the partner lets you see'),
  })
  .meta({ id: 'IdealPartner' });

export const idealPartnersSchema = z
  .object({
    baseline: z
      .number()
      .describe('Your win rate in this segment and industry, smoothed: the bar to beat'),
    model: z.object({
      source: z.enum(['prior', 'learned']),
      trainingRows: z.number().int(),
      builtAt: z.string(),
      note: z.string().nullable().describe('Said when the ranking rests on little history'),
    }),
    partners: z.array(idealPartnerSchema),
  })
  .meta({ id: 'IdealPartners' });

export type IdealPartner = z.output<typeof idealPartnerSchema>;
export type IdealPartners = z.output<typeof idealPartnersSchema>;
