import type { Command } from 'commander';
import { printRecord, printRows } from '../output.ts';
import { remote, remoteClient } from '../remote.ts';

const pct = (x: number | null) => (x === null ? '' : `${(x * 100).toFixed(1)}%`);
const round = (x: number | null) => (x === null ? '' : Math.round(x).toString());

/** `tandem partner recommend <dealId>`: the Ideal Deal Partner ranking of one of your deals. */
export function recommendCommand(partner: Command, program: Command): void {
  partner
    .command('recommend <dealId>')
    .description('your partners ranked for a deal by estimated chance to win, with the reasons')
    .option('--limit <n>', 'how many partners', '5')
    .option('--json', 'print JSON')
    .action(async (id: string, opts: { limit: string; json?: boolean }) => {
      const ranked = await remote(() =>
        remoteClient(program).idealPartners.forDeal.query({ id, limit: Number(opts.limit) }),
      );
      if (opts.json) return printRecord(ranked, true);
      process.stdout.write(
        `your usual win rate in this segment: ${pct(ranked.baseline)} (weights: ${ranked.model.source}, ${ranked.model.trainingRows} rows)\n`,
      );
      printRows(
        ranked.partners.map((p) => ({
          rank: p.rank,
          partner: p.partner.slug,
          type: p.partner.type,
          win: pct(p.probability),
          activated: p.activated ? 'yes' : 'no',
          why: p.reasons
            .slice(0, 3)
            .map((r) => r.detail)
            .join('; '),
        })),
        ['rank', 'partner', 'type', 'win', 'activated', 'why'],
        false,
      );
    });
}

/** `tandem program health`: activated vs paper partners, concentration, co-sold vs not. */
export function programCommand(program: Command): void {
  const cmd = program
    .command('program')
    .description('the health of your partner program (talks to the server)');
  cmd
    .command('health')
    .description(
      'activated vs paper partners, top-ten share, co-sold vs not, sourced vs influenced',
    )
    .option('--from <date>', 'first day (YYYY-MM-DD); default a year before --to')
    .option('--to <date>', 'last day (YYYY-MM-DD); default today')
    .option(
      '--currency <code>',
      'the reporting currency (others at the rates frozen at close); default your most used',
    )
    .option('--json', 'print JSON')
    .action(async (opts: { from?: string; to?: string; currency?: string; json?: boolean }) => {
      const h = await remote(() =>
        remoteClient(program).programHealth.get.query({
          ...(opts.from ? { from: opts.from } : {}),
          ...(opts.to ? { to: opts.to } : {}),
          ...(opts.currency ? { currency: opts.currency } : {}),
        }),
      );
      if (opts.json) return printRecord(h, true);
      printRecord(
        {
          window: `${h.window.from.slice(0, 10)} … ${h.window.to.slice(0, 10)} (${h.window.currency})`,
          activated: h.partners.activated,
          paper: `${h.partners.paper} (${h.partners.list
            .filter((p) => !p.activated)
            .map((p) => p.partner.slug)
            .join(', ')})`,
          topTenShare: pct(h.concentration.topTenShare),
          coSoldWinRate: pct(h.coSold.winRate),
          notCoSoldWinRate: pct(h.notCoSold.winRate),
          coSoldAvgDeal: round(h.coSold.avgDealSize),
          notCoSoldAvgDeal: round(h.notCoSold.avgDealSize),
          coSoldCycleDays: round(h.coSold.avgCycleDays),
          notCoSoldCycleDays: round(h.notCoSold.avgCycleDays),
          firstDealsMissingDebrief: h.firstDeals.filter((f) => f.debrief === 'missing').length,
          closedInOtherCurrencies: otherCurrencies(h.conversion.closed),
        },
        false,
      );
      printRows(
        h.byQuarter.map((q) => ({ ...q })),
        ['quarter', 'sourcedPipeline', 'influencedPipeline', 'sourcedRevenue', 'influencedRevenue'],
        false,
      );
    });
}

/** `3 at their frozen rate, 1 at the nearest close's, 1 left out (no rate: JPY 1)`. */
function otherCurrencies(t: {
  byBasis: { frozen: number; nearest: number; none: number };
  leftOut: { currency: string; count: number }[];
}): string {
  const none = t.leftOut.map((l) => `${l.currency} ${l.count}`).join(', ');
  return (
    `${t.byBasis.frozen} at their frozen rate, ${t.byBasis.nearest} at the nearest close's, ` +
    `${t.byBasis.none} left out${none ? ` (no rate: ${none})` : ''}`
  );
}
