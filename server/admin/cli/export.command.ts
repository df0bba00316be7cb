import type { Command } from 'commander';
import { withLocalDeps } from '../local-admin.ts';
import { streamExport } from '../../attribution/attribution-export.ts';
import { periodRange } from '../../attribution/export-period.ts';
import { findCompany } from '../../tenants/companies/company.repository.ts';
import { CliError, exitCodes } from '../../../client/cli/exit-codes.ts';
import { fileSink } from './file-sink.ts';

export function exportCommand(program: Command): void {
  program
    .command('export')
    .description(
      "write a company's signed attribution export for a period: <out>.json and <out>.csv (operator, on the data directory)",
    )
    .requiredOption('--company <id|slug>', 'the exporting company (signs the manifest)')
    .option('--period <YYYY-Qn>', 'a quarter, e.g. 2026-Q3')
    .option('--from <date>', 'first close date (YYYY-MM-DD), with --to')
    .option('--to <date>', 'last close date (YYYY-MM-DD), with --from')
    .requiredOption('--out <file.json>', 'the JSON file to write; the CSV goes beside it')
    .action(
      async (opts: {
        company: string;
        period?: string;
        from?: string;
        to?: string;
        out: string;
      }) => {
        if (!opts.out.endsWith('.json'))
          throw new CliError(
            '--out must name a .json file (the CSV is written beside it)',
            exitCodes.usage,
          );
        const range = periodRange({ period: opts.period, from: opts.from, to: opts.to });
        const json = fileSink(opts.out);
        const csvPath = opts.out.replace(/\.json$/, '.csv');
        const csv = fileSink(csvPath);
        const summary = await withLocalDeps(
          program.opts<{ dataDir?: string }>().dataDir,
          async (deps) => {
            const company = await findCompany(deps.db, opts.company);
            if (!company)
              throw new CliError(`no company "${opts.company}"; see \`tandem company list\``);
            return streamExport(
              deps,
              { companyId: company.id },
              { ...range, sinks: { json: json.write, csv: csv.write } },
            );
          },
        );
        await Promise.all([json.close(), csv.close()]);
        process.stdout.write(
          `exported ${summary.count} sealed attributions (${summary.from} to ${summary.to}) to ${opts.out} and ${csvPath}\n`,
        );
      },
    );
}
