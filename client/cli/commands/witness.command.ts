import fs from 'node:fs';
import type { Command } from 'commander';
import { apiLog, witnessRound } from '../../sdk/witness.ts';
import {
  createWitnessKeyFile,
  readWitnessKey,
  readWitnessState,
  writeWitnessState,
} from '../../sdk/witness-files.ts';
import { CliError, exitCodes } from '../exit-codes.ts';
import { remote, remoteClient } from '../remote.ts';

/**
 * `tandem witness`: the company's own witness of its partnership logs, run on the company's side
 * (by hand or on a schedule). Its key and its memory of what it cosigned stay in local files;
 * Tandem holds only the public key.
 */
export function witnessCommand(program: Command): void {
  program
    .command('witness')
    .description(
      "cosign your partnership logs' checkpoints after checking they only grew; refuse and raise an alarm on a fork (TANDEM_TOKEN of the company)",
    )
    .requiredOption('--company <slug>', 'your company: names the key and state files')
    .option('--key <file>', 'the witness key file (default: witness-<slug>.key.json)')
    .option(
      '--state <file>',
      'what this witness cosigned so far (default: witness-<slug>.state.json)',
    )
    .option(
      '--keygen <name>',
      'make a new witness key named <name> (e.g. acme.example/witness), register its public half, and stop',
    )
    .option(
      '--log-key <vkey>',
      "pin the log's key (default: trust the first one seen, then pin it)",
    )
    .action(
      async (opts: {
        company: string;
        key?: string;
        state?: string;
        keygen?: string;
        logKey?: string;
      }) => {
        const keyPath = opts.key ?? `witness-${opts.company}.key.json`;
        const statePath = opts.state ?? `witness-${opts.company}.state.json`;
        const client = remoteClient(program);
        if (opts.keygen) {
          if (fs.existsSync(keyPath))
            throw new CliError(
              `${keyPath} exists; move it away first or pass --key`,
              exitCodes.usage,
            );
          const keygen = opts.keygen;
          const file = await remote(() => createWitnessKeyFile(client, keygen, keyPath));
          process.stdout.write(`witness key ${file.vkey}\nwritten to ${keyPath} and registered\n`);
          return;
        }
        if (!fs.existsSync(keyPath))
          throw new CliError(
            `no witness key ${keyPath}: make one with --keygen <name> (needs an admin token)`,
            exitCodes.usage,
          );
        const key = await readWitnessKey(keyPath);
        const state = readWitnessState(statePath, {
          logs: {},
          ...(opts.logKey ? { logKey: opts.logKey } : {}),
        });
        if (opts.logKey && state.logKey && state.logKey !== opts.logKey)
          throw new CliError(
            `--log-key differs from the key pinned in ${statePath}`,
            exitCodes.usage,
          );
        const { state: next, outcomes } = await remote(() =>
          witnessRound(apiLog(client), key, state),
        );
        writeWitnessState(statePath, next);
        for (const o of outcomes)
          process.stdout.write(
            o.outcome === 'alarm'
              ? `ALARM ${o.origin}: ${o.detail}\n`
              : `${o.outcome.padEnd(9)} ${o.origin}${o.size !== undefined ? ` at ${o.size}` : ''}\n`,
          );
        if (outcomes.some((o) => o.outcome === 'alarm')) {
          process.stderr.write(
            'the witness refused to cosign: the log does not extend what it cosigned before. Keep the state file as evidence.\n',
          );
          process.exitCode = exitCodes.failed;
        }
      },
    );
}
