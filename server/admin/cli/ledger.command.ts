import type { Command } from 'commander';
import { withLocalDeps } from '../local-admin.ts';
import { checkCheckpoints, signCheckpoint } from '../../ledger/checkpoint.service.ts';
import { verifyLedger } from '../../ledger/ledger-verify.ts';
import { rebuildDealProjections } from '../../opportunities/rebuild-projections.ts';
import { exitCodes } from '../../../client/cli/exit-codes.ts';
import { printRecord } from '../../../client/cli/output.ts';

export function ledgerCommand(program: Command): void {
  const ledger = program
    .command('ledger')
    .description('check and replay the hash-chained ledger (operator, on the data directory)');
  ledger
    .command('verify')
    .description(
      'walk the hash chain and the signed checkpoints; names the first broken link (exit 1)',
    )
    .option('--json', 'print JSON')
    .action(async (opts: { json?: boolean }) => {
      const result = await withLocalDeps(
        program.opts<{ dataDir?: string }>().dataDir,
        async (deps) => {
          const chain = await verifyLedger(deps.db);
          const checkpoint = chain.ok ? await checkCheckpoints(deps) : undefined;
          return {
            ...chain,
            ...(checkpoint
              ? {
                  ok: false,
                  broken: { seq: checkpoint.size, dealId: null, reason: checkpoint.reason },
                }
              : {}),
          };
        },
      );
      if (opts.json) printRecord(result, true);
      else if (result.ok)
        process.stdout.write(`ledger ok: ${result.events} events, head ${result.headHash}\n`);
      else {
        const b = result.broken!;
        process.stdout.write(
          `ledger BROKEN at event ${b.seq}${b.dealId ? ` (deal ${b.dealId})` : ''}: ${b.reason}\n`,
        );
        process.stdout.write(
          `${result.events} events before it verify; restore from a backup taken before the change.\n`,
        );
      }
      if (!result.ok) process.exitCode = exitCodes.failed;
    });
  ledger
    .command('checkpoint')
    .description(
      'sign the log head now with the deployment key (the server does so every minute); ' +
        'prints the checkpoint to keep',
    )
    .action(async () => {
      const checkpoint = await withLocalDeps(program.opts<{ dataDir?: string }>().dataDir, (deps) =>
        signCheckpoint(deps),
      );
      if (!checkpoint) process.stdout.write('the ledger is empty: nothing to sign\n');
      else printRecord(checkpoint, true);
    });
  ledger
    .command('rebuild')
    .description('rebuild the deal tables from the ledger (stop the server first)')
    .action(async () => {
      const { events } = await withLocalDeps(program.opts<{ dataDir?: string }>().dataDir, (deps) =>
        rebuildDealProjections(deps.db),
      );
      process.stdout.write(`rebuilt the deal tables from ${events} events\n`);
    });
}
