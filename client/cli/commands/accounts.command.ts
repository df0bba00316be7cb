import fs from 'node:fs';
import type { Command } from 'commander';
import { parse } from 'csv-parse/sync';
import { CliError, exitCodes } from '../exit-codes.ts';
import { printRecord } from '../output.ts';
import { remote, remoteClient } from '../remote.ts';

export function accountsCommand(program: Command): void {
  const accounts = program
    .command('accounts')
    .description('your private account list, for overlap with partners (talks to the server)');
  accounts
    .command('upload <file.csv>')
    .description(
      'upload accounts from a CSV with columns domain,name,status[,segment,industry,region]; all or nothing',
    )
    .option('--replace', 'drop your accounts that are not in this file')
    .option('--json', 'print JSON')
    .action(async (file: string, opts: { replace?: boolean; json?: boolean }) => {
      if (!fs.existsSync(file)) throw new CliError(`no file ${file}`, exitCodes.usage);
      const rows = parse(fs.readFileSync(file), {
        columns: true,
        skip_empty_lines: true,
        trim: true,
        bom: true,
      }) as Record<string, string>[];
      const items = rows.map((r) =>
        Object.fromEntries(
          Object.entries(r).filter(
            ([k, v]) =>
              ['domain', 'name', 'status', 'segment', 'industry', 'region'].includes(k) && v !== '',
          ),
        ),
      );
      const result = await remote(() =>
        remoteClient(program).accounts.upload.mutate({
          accounts: items,
          replace: Boolean(opts.replace),
        }),
      );
      printRecord({ uploaded: items.length, ...result.counts }, Boolean(opts.json));
    });
}
