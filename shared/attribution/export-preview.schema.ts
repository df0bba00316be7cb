import { z } from 'zod';

/** What `attribution.exportPreview` answers: the period's export before it is made. */

const amount = z.number().int();
const perCurrency = z.array(z.object({ currency: z.string(), amountMinor: amount }));

export const exportPreviewSchema = z
  .object({
    period: z.object({ from: z.string(), to: z.string(), label: z.string() }),
    fileName: z.string().describe('The JSON file the export downloads as'),
    verifyCommand: z
      .string()
      .describe("The offline check of that file, whole: every signer's JWK Set and the log key"),
    count: z.number().int().describe('Records (sealed attributions) the export will hold'),
    first: z
      .array(
        z.object({
          dealId: z.string(),
          title: z.string(),
          version: z.number().int(),
          closeDate: z.string(),
          currency: z.string(),
          amountMinor: amount,
          mine: z
            .object({
              kind: z.string(),
              bps: z.number().int(),
              amountMinor: amount,
              reporting: z
                .object({ currency: z.string(), rate: z.string(), amountMinor: amount })
                .nullable(),
            })
            .nullable()
            .describe("Your company's split"),
          partners: z.array(
            z.object({
              id: z.string(),
              name: z.string(),
              kind: z.string(),
              bps: z.number().int(),
            }),
          ),
        }),
      )
      .describe("The first records, in the export's order (close date, then id)"),
    totals: z.object({
      byCurrency: z
        .array(z.object({ currency: z.string(), records: z.number().int(), amountMinor: amount }))
        .describe('Deal amounts per currency, as the signed manifest sums them'),
      mineByCurrency: perCurrency.describe('Your share per deal currency'),
      mineReporting: perCurrency.describe(
        'Your share in the currency you report in, at the rates frozen at close',
      ),
      byCompany: z
        .array(
          z.object({ id: z.string(), name: z.string(), currency: z.string(), amountMinor: amount }),
        )
        .describe("Each company's share per currency, as the signed manifest sums them"),
    }),
  })
  .meta({ id: 'ExportPreview' });
