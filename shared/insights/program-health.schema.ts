import { z } from 'zod';

/**
 * What program health answers (see program-health.ts for how each figure is made). Objects are
 * loose: the fields named here are the contract, and a figure added later passes through.
 */

const partnerRef = z.object({ id: z.string(), slug: z.string(), name: z.string() });

const outcome = z.looseObject({
  closed: z.number().int(),
  won: z.number().int(),
  winRate: z.number().nullable(),
  avgDealSize: z.number().nullable().describe('Minor units of `window.currency`'),
  avgCycleDays: z.number().nullable(),
});

export const programHealthSchema = z
  .looseObject({
    window: z.looseObject({ from: z.string(), to: z.string(), currency: z.string() }),
    partners: z.looseObject({
      activated: z.number().int(),
      paper: z.number().int(),
      list: z.array(
        z.looseObject({ partner: partnerRef, activated: z.boolean(), why: z.string().nullable() }),
      ),
    }),
    concentration: z.looseObject({
      partnerRevenue: z.number(),
      topTenRevenue: z.number(),
      topTenShare: z.number().nullable(),
      top: z.array(z.looseObject({ partner: partnerRef, amount: z.number() })),
    }),
    coSold: outcome,
    notCoSold: outcome,
    byQuarter: z.array(
      z.looseObject({
        quarter: z.string(),
        sourcedPipeline: z.number(),
        influencedPipeline: z.number(),
        sourcedRevenue: z.number(),
        influencedRevenue: z.number(),
      }),
    ),
    firstDeals: z.array(
      z.looseObject({
        dealId: z.string(),
        partners: z.array(z.string()),
        status: z.string(),
        debrief: z.string().describe('not_due (open), done or missing'),
      }),
    ),
    otherCurrencyDeals: z
      .number()
      .int()
      .describe('Closed deals in other currencies, left out of money figures'),
  })
  .meta({ id: 'ProgramHealth' });
