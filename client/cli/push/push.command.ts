import fs from 'node:fs';
import type { Command } from 'commander';
import { parse } from 'csv-parse';
import { stringify } from 'csv-stringify/sync';
import { CliError, exitCodes } from '../exit-codes.ts';
import { remote, remoteClient } from '../remote.ts';
import type { Mapping, PushItem, Row } from './csv-mapping.ts';

// The mapping code (and with it zod and the shared schemas) loads when a push runs, not for help.
async function loadMapping(file: string): Promise<Mapping> {
  const { isPreset, presets } = await import('./crm-presets.ts');
  const { resolveMapping } = await import('./csv-mapping.ts');
  const preset = !fs.existsSync(file) && isPreset(file);
  if (!fs.existsSync(file) && !preset)
    throw new CliError(
      `no mapping file ${file} (or name a preset: ${Object.keys(presets).join(', ')})`,
      exitCodes.usage,
    );
  const parsed = resolveMapping(preset ? file : JSON.parse(fs.readFileSync(file, 'utf8')));
  if (!parsed.success) {
    const issues = parsed.error.issues
      .map((i) => `  ${i.path.join('.') || '(root)'}: ${i.message}`)
      .join('\n');
    throw new CliError(`the mapping file is not valid:\n${issues}`, exitCodes.usage);
  }
  return parsed.data;
}

export function pushCommand(program: Command): void {
  program
    .command('push <file.csv>')
    .description(
      'upsert opportunities from a CRM report export (talks to the server: --url, TANDEM_URL, TANDEM_TOKEN)',
    )
    .requiredOption(
      '--mapping <file.json|salesforce|hubspot>',
      'which CSV column is which field, or a CRM preset (see README)',
    )
    .option('--rejects <file.csv>', 'where refused rows go, with the reason', 'rejects.csv')
    .option(
      '--batch <n>',
      'rows per request; each batch lands all or nothing',
      (v) => Number(v),
      500,
    )
    .option('--json', 'print the summary as JSON')
    .action(
      async (
        file: string,
        opts: { mapping: string; rejects: string; batch: number; json?: boolean },
      ) => {
        if (!fs.existsSync(file)) throw new CliError(`no file ${file}`, exitCodes.usage);
        if (!Number.isInteger(opts.batch) || opts.batch < 1 || opts.batch > 1000)
          throw new CliError('--batch takes 1 to 1000', exitCodes.usage);
        const mapping = await loadMapping(opts.mapping);
        const { convertRow } = await import('./csv-mapping.ts');
        const client = remoteClient(program);
        const total =
          fs
            .readFileSync(file, 'utf8')
            .split('\n')
            .filter((l) => l.trim()).length - 1;
        const rejects: Row[] = [];
        let landed = 0;
        let seen = 0;
        let batch: { row: Row; item: PushItem }[] = [];
        const progress = () =>
          process.stderr.write(`\rpushed ${landed}/${total} rows, ${rejects.length} refused`);
        const flush = async () => {
          if (batch.length === 0) return;
          const sending = batch;
          batch = [];
          try {
            await remote(() =>
              client.opportunities.batchUpsert.mutate({ items: sending.map((b) => b.item) }),
            );
            landed += sending.length;
          } catch (error) {
            // The server took none of this batch: every row goes to the rejects with its reason.
            for (const b of sending)
              rejects.push({
                ...b.row,
                reject_reason: `batch refused: ${(error as Error).message.split('\n')[0]}`,
              });
          }
          progress();
        };
        for await (const row of fs
          .createReadStream(file)
          .pipe(
            parse({ columns: true, skip_empty_lines: true, trim: true, bom: true }),
          ) as AsyncIterable<Row>) {
          seen++;
          const converted = convertRow(row, mapping);
          if (converted.ok) batch.push({ row, item: converted.item });
          else rejects.push({ ...row, reject_reason: `row ${seen + 1}: ${converted.reason}` });
          if (batch.length >= opts.batch) await flush();
        }
        await flush();
        process.stderr.write('\n');
        if (rejects.length > 0)
          fs.writeFileSync(opts.rejects, stringify(rejects, { header: true }));
        const summary = {
          rows: seen,
          landed,
          refused: rejects.length,
          ...(rejects.length ? { rejects: opts.rejects } : {}),
        };
        if (opts.json) process.stdout.write(JSON.stringify(summary) + '\n');
        else
          process.stdout.write(
            `${landed} of ${seen} rows landed${rejects.length ? `; ${rejects.length} refused, see ${opts.rejects}` : ''}\n`,
          );
        if (landed === 0 && seen > 0) process.exitCode = exitCodes.failed;
      },
    );
}
