import { z } from 'zod';
import { stages } from '../opportunities/stages.ts';

/** What `pipeline.stageTotals` answers (server/insights/stage-totals.service.ts makes it). */

const leftOut = z
  .array(
    z.object({
      currency: z.string(),
      count: z.number().int(),
      amountMinor: z.number().int().describe('their sum, minor units of that currency'),
    }),
  )
  .describe('Deals in a currency with no frozen rate into the reporting currency, per currency');

const byBasis = z
  .object({
    same: z.number().int().describe('in the reporting currency already'),
    frozen: z.number().int().describe("closed: at the rate frozen at the deal's own close"),
    nearest: z.number().int().describe('closed, no rate of its own: at the nearest close’s rate'),
    latest: z.number().int().describe('open: at the latest rate frozen for its currency'),
    none: z.number().int().describe('no rate: left out of totalMinor'),
  })
  .describe('How many deals were converted on each basis');

const tally = {
  count: z.number().int().describe('Deals (accepted by you) in the filters'),
  totalMinor: z
    .number()
    .int()
    .describe('Their sum in the reporting currency, minor units, the left-out ones excepted'),
  byBasis,
  leftOut,
};

export const stageTotalsSchema = z
  .object({
    currency: z.string().describe('The reporting currency'),
    currencySource: z
      .enum(['requested', 'most_used'])
      .describe("asked for, or the company's most used currency"),
    rule: z.string().describe('How deals in other currencies are converted, in words'),
    stages: z.array(
      z.object({
        stage: z.enum(stages),
        ...tally,
        byCurrency: z
          .array(
            z.object({
              currency: z.string(),
              count: z.number().int(),
              amountMinor: z.number().int().describe('minor units of that currency'),
            }),
          )
          .describe("The stage's deals in their own currencies, unconverted"),
      }),
    ),
    total: z.object(tally),
  })
  .meta({ id: 'StageTotals' });
