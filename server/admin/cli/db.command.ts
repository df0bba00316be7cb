import type { Command } from 'commander';
import { verifyLedger, type VerifyResult } from '../../ledger/ledger-verify.ts';
import { copyStore, TargetNotEmpty, type CopyCounts } from '../../store/copy-store.ts';
import { describeStore, openStoreAt, type StoreAddress } from '../store-address.ts';
import { CliError, exitCodes } from '../../../client/cli/exit-codes.ts';
import { copySource, copyTarget, type CopyTargetOptions } from './copy-addresses.ts';

/** The copy's ledger does not verify: raised inside the target's transaction, so it rolls back. */
class LedgerDoesNotVerify extends Error {
  constructor(readonly result: VerifyResult) {
    super('the ledger does not verify');
  }
}

const help = `
The source is this install's store: TANDEM_DATABASE_URL, or else the SQLite file in --data-dir
(TANDEM_DATA_DIR). The target must be empty; it is migrated to the newest schema, filled in one
transaction (a failed copy leaves it empty), and its ledger verified before the copy commits.
Stop the server first: writes made after the copy starts are not in it.
master.key is not in the database: it must travel with the install.

Examples:
  tandem --data-dir ./data db copy --to postgres://tandem@db.internal:5432/tandem
  TANDEM_DATABASE_URL=postgres://… tandem db copy --to-data-dir ./data-sqlite`;

export function dbCommand(program: Command): void {
  const db = program
    .command('db')
    .description('move an install between stores (operator, on the configured store)');
  db.command('copy')
    .description(
      'copy every table into an empty PostgreSQL database or SQLite data directory, then verify the ledger there',
    )
    .option('--to <postgres://…>', 'the empty PostgreSQL database to copy into')
    .option(
      '--to-data-dir <dir>',
      'the data directory whose (new or empty) SQLite file to copy into',
    )
    .option('--batch <rows>', 'rows read per page', (v) => Number.parseInt(v, 10), 1000)
    .addHelpText('after', help)
    .action(async (opts: CopyTargetOptions & { batch: number }) => {
      if (!(opts.batch >= 1))
        throw new CliError('--batch takes a whole number of rows, at least 1', exitCodes.usage);
      const source = copySource(program);
      const target = copyTarget(opts, source.address);
      const started = performance.now();
      const { counts, ledger } = await copy(source.address, target, opts.batch);
      const seconds = ((performance.now() - started) / 1000).toFixed(1);
      const total = Object.values(counts).reduce((a, b) => a + b, 0);
      const lines = Object.entries(counts).map(([t, n]) => `  ${t.padEnd(26)} ${n}`);
      process.stdout.write(
        [
          `copied ${total} rows from ${describeStore(source.address)} to ${describeStore(target)} in ${seconds} s:`,
          ...lines,
          `ledger ok (${ledger.events} events)`,
          `master.key is not in the database: copy ${source.dataDir}/master.key ${'url' in target ? 'into the data directory of the server that will use the new database' : `into ${target.dataDir}`} (or keep TANDEM_MASTER_KEY); without it the companies' private keys are lost.`,
          '',
        ].join('\n'),
      );
    });
}

async function copy(
  from: StoreAddress,
  to: StoreAddress,
  pageSize: number,
): Promise<{ counts: CopyCounts; ledger: VerifyResult }> {
  const source = openStoreAt(from);
  const target = openStoreAt(to);
  let ledger: VerifyResult | undefined;
  try {
    const counts = await copyStore(source, target, {
      pageSize,
      async check(copied) {
        ledger = await verifyLedger(copied);
        if (!ledger.ok) throw new LedgerDoesNotVerify(ledger);
      },
    });
    return { counts, ledger: ledger! };
  } catch (error) {
    throw new CliError(failure(error, to));
  } finally {
    await Promise.all([source.destroy(), target.destroy()]);
  }
}

function failure(error: unknown, to: StoreAddress): string {
  if (error instanceof TargetNotEmpty)
    return `${describeStore(to)} is not empty (${error.tables.map((t) => `${t.table}: ${t.rows}`).join(', ')}): nothing was copied. Copy into an empty ${'url' in to ? 'database (createdb a new one)' : 'data directory'}.`;
  if (error instanceof LedgerDoesNotVerify) {
    const b = error.result.broken!;
    return `the ledger does not verify on the target at event ${b.seq}${b.dealId ? ` (deal ${b.dealId})` : ''}: ${b.reason}. Nothing was copied; check the source with tandem ledger verify.`;
  }
  return `copy failed, nothing was copied: ${(error as Error).message}`;
}
