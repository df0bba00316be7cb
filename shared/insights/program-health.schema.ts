import { z } from 'zod';

/**
 * What program health answers (see program-health.ts for how each figure is made). Objects are
 * loose: the fields named here are the contract, and a figure added later passes through.
 */

const partnerRef = z.object({ id: z.string(), slug: z.string(), name: z.string() });

const basisCounts = z
  .looseObject({
    same: z.number().int().describe('in the reporting currency already'),
    frozen: z.number().int().describe("converted at the rate frozen at the deal's own close"),
    nearest: z
      .number()
      .int()
      .describe('closed, no rate of its own: at the rate frozen at the nearest close'),
    latest: z.number().int().describe('open: at the latest rate frozen for its currency'),
    none: z.number().int().describe('no rate for its currency: left out of the money figures'),
  })
  .describe('How many deals were converted on each basis');

const conversionTally = z.looseObject({
  count: z.number().int(),
  byBasis: basisCounts,
  leftOut: z
    .array(
      z.looseObject({
        currency: z.string(),
        count: z.number().int(),
        amountMinor: z.number().int().describe('their sum, minor units of that currency'),
      }),
    )
    .describe('The deals with no rate, per currency'),
});

const outcome = z.looseObject({
  closed: z.number().int(),
  won: z.number().int(),
  winRate: z.number().nullable(),
  avgDealSize: z.number().nullable().describe('Major units of `window.currency`'),
  avgCycleDays: z.number().nullable(),
});

export const programHealthSchema = z
  .looseObject({
    window: z.looseObject({
      from: z.string(),
      to: z.string(),
      currency: z.string().describe('The reporting currency of every money figure'),
      currencySource: z
        .enum(['requested', 'most_used'])
        .describe("asked for, or the company's most used currency"),
    }),
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
      .describe(
        'Closed deals in other currencies with no rate into the reporting currency, left out of ' +
          'money figures (conversion.closed.leftOut lists them per currency)',
      ),
    conversion: z
      .looseObject({
        rule: z.string().describe('How deals in other currencies are converted, in words'),
        closed: conversionTally.describe('The deals closed in the window'),
        openCreated: conversionTally.describe('The open deals created in the window'),
      })
      .describe('How the money figures were brought into the reporting currency'),
  })
  .meta({ id: 'ProgramHealth' });
