import type { Command } from 'commander';
import { partnerTypes } from '../../../shared/tenancy/tenancy.ts';
import { printRecord, printRows } from '../output.ts';
import { remote, remoteClient } from '../remote.ts';
import { recommendCommand } from './insights.command.ts';

const view = (p: {
  id: string;
  partner: { slug: string };
  direction: string;
  partnerType: string;
  tier: string;
  status: string;
}) => ({
  id: p.id,
  partner: p.partner.slug,
  direction: p.direction,
  type: p.partnerType,
  tier: p.tier,
  status: p.status,
});

export function partnerCommand(program: Command): void {
  const partner = program
    .command('partner')
    .description(
      'partnerships of your company (talks to the server: --url, TANDEM_URL, TANDEM_TOKEN)',
    );
  partner
    .command('list')
    .description('your partnerships, sent and received')
    .option('--json', 'print JSON')
    .action(async (opts: { json?: boolean }) => {
      const rows = await remote(() => remoteClient(program).partnerships.list.query());
      printRows(
        rows.map(view),
        ['id', 'partner', 'direction', 'type', 'tier', 'status'],
        Boolean(opts.json),
      );
    });
  partner
    .command('invite <company>')
    .description('invite a company (id or slug) to partner')
    .requiredOption('--type <type>', `what it is to you: ${partnerTypes.join(', ')}`)
    .option('--tier <tier>', 'program tier', 'registered')
    .option('--json', 'print JSON')
    .action(async (company: string, opts: { type: string; tier: string; json?: boolean }) => {
      const created = await remote(() =>
        remoteClient(program).partnerships.invite.mutate({
          partner: company,
          partnerType: opts.type as never,
          tier: opts.tier,
        }),
      );
      printRecord(view(created), Boolean(opts.json));
    });
  partner
    .command('accept <partnershipId>')
    .description('accept an invitation your company received')
    .option('--json', 'print JSON')
    .action(async (id: string, opts: { json?: boolean }) => {
      const accepted = await remote(() =>
        remoteClient(program).partnerships.accept.mutate({ partnershipId: id }),
      );
      printRecord(view(accepted), Boolean(opts.json));
    });
  recommendCommand(partner, program);
}
