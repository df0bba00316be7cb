import fs from 'node:fs';
import type { Command } from 'commander';
import type { JSONWebKeySet } from 'jose';
import type { ExportFile, JwksByIssuer } from '../../sdk/verify/export-verifier.ts';
import { CliError, exitCodes } from '../exit-codes.ts';
import { printRecord } from '../output.ts';

/** A JWK Set from a URL (`<iss>/.well-known/jwks.json`) or a saved copy that keeps its `iss`. */
async function loadJwks(source: string): Promise<[string, JSONWebKeySet]> {
  if (/^https?:\/\//.test(source)) {
    const res = await fetch(source);
    if (!res.ok) throw new CliError(`could not fetch ${source}: HTTP ${res.status}`);
    const jwks = (await res.json()) as JSONWebKeySet & { iss?: string };
    return [jwks.iss ?? source.replace(/\/\.well-known\/jwks\.json$/, ''), jwks];
  }
  if (!fs.existsSync(source)) throw new CliError(`no JWKS file ${source}`, exitCodes.usage);
  const jwks = JSON.parse(fs.readFileSync(source, 'utf8')) as JSONWebKeySet & { iss?: string };
  if (!jwks.iss)
    throw new CliError(
      `${source} has no "iss": save it from <issuer>/.well-known/jwks.json, which includes it`,
      exitCodes.usage,
    );
  return [jwks.iss, jwks];
}

/** The log's vkey: given whole, in a file, or at a URL (`/.well-known/tandem-log.vkey`). */
async function loadVkey(source: string): Promise<string> {
  if (/^https?:\/\//.test(source)) {
    const res = await fetch(source);
    if (!res.ok) throw new CliError(`could not fetch ${source}: HTTP ${res.status}`);
    return (await res.text()).trim();
  }
  if (fs.existsSync(source)) return fs.readFileSync(source, 'utf8').trim();
  if (source.split('+').length >= 3) return source;
  throw new CliError(`--log-key: ${source} is neither a vkey, a file nor a URL`, exitCodes.usage);
}

export function verifyCommand(program: Command): void {
  program
    .command('verify <export.json>')
    .description(
      "verify a finance export offline against the companies' public keys; exit 0 only if every check holds",
    )
    .requiredOption('--jwks <sources>', 'comma-separated JWK Set URLs or files, one per company')
    .option(
      '--csv <file>',
      'the CSV to check against the manifest (default: beside the JSON, if there)',
    )
    .option(
      '--log-key <vkey|file|url>',
      "the transparency log's key: then every record must be proven in the partnership logs, under checkpoints both companies' witnesses cosigned (<server>/.well-known/tandem-log.vkey)",
    )
    .option('--json', 'print JSON')
    .action(
      async (
        file: string,
        opts: { jwks: string; csv?: string; json?: boolean; logKey?: string },
      ) => {
        if (!fs.existsSync(file)) throw new CliError(`no file ${file}`, exitCodes.usage);
        const jwks: JwksByIssuer = Object.fromEntries(
          await Promise.all(opts.jwks.split(',').map((s) => loadJwks(s.trim()))),
        );
        const csvPath = opts.csv ?? file.replace(/\.json$/, '.csv');
        const csv = fs.existsSync(csvPath) ? fs.readFileSync(csvPath) : undefined;
        let parsed: ExportFile;
        try {
          parsed = JSON.parse(fs.readFileSync(file, 'utf8')) as ExportFile;
        } catch {
          throw new CliError(`${file} is not JSON`);
        }
        // Loaded when the command runs: the verifier brings jose and zod, which help does not need.
        const [{ verifyExport }, { nodeSha256 }] = await Promise.all([
          import('../../sdk/verify/export-verifier.ts'),
          import('../../sdk/verify/node-sha256.ts'),
        ]);
        const logKey = opts.logKey ? await loadVkey(opts.logKey) : undefined;
        const report = await verifyExport(parsed, jwks, { csv, sha256: nodeSha256, logKey });
        if (opts.json) printRecord(report, true);
        else if (report.ok) {
          process.stdout.write(
            `OK: ${report.records} records, ${report.signatures} signatures verified${csv ? ', CSV matches' : ' (no CSV checked)'}\n`,
          );
          process.stdout.write(
            report.inclusions !== undefined
              ? `  ${report.inclusions} records proven in the partnership logs, under checkpoints both companies cosigned\n`
              : '  partnership logs not checked: pass --log-key to prove every record there\n',
          );
          for (const [currency, total] of Object.entries(report.totals ?? {}))
            process.stdout.write(`  ${currency} ${total} (minor units)\n`);
        } else {
          const bad = report.firstBad!;
          const where =
            bad.record >= 0
              ? `record ${bad.record}${bad.dealId ? ` (deal ${bad.dealId})` : ''}`
              : 'export';
          process.stdout.write(`FAILED at ${where}: ${bad.reason}\n`);
        }
        if (!report.ok) process.exitCode = exitCodes.failed;
      },
    );
}
