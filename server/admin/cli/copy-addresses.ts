import path from 'node:path';
import type { Command } from 'commander';
import { loadConfig } from '../../config.ts';
import { describeStore, storeExists, type StoreAddress } from '../store-address.ts';
import { CliError, exitCodes } from '../../../client/cli/exit-codes.ts';

export interface CopyTargetOptions {
  to?: string;
  toDataDir?: string;
}

/** The configured install, as every operator command finds it; and where its master.key lives. */
export function copySource(program: Command): { address: StoreAddress; dataDir: string } {
  const dir = program.opts<{ dataDir?: string }>().dataDir;
  const config = loadConfig(dir ? { ...process.env, TANDEM_DATA_DIR: dir } : process.env);
  const address = config.database ? { url: config.database.url } : { dataDir: config.dataDir };
  if (!storeExists(address))
    throw new CliError(
      `no Tandem database at ${describeStore(address)}: point --data-dir (or TANDEM_DATA_DIR, or TANDEM_DATABASE_URL) at the install to copy`,
    );
  return { address, dataDir: config.dataDir };
}

/** Exactly one of --to (PostgreSQL) and --to-data-dir (SQLite); never the source itself. */
export function copyTarget(opts: CopyTargetOptions, source: StoreAddress): StoreAddress {
  if (Boolean(opts.to) === Boolean(opts.toDataDir))
    throw new CliError(
      'name one target: --to <postgres://…> or --to-data-dir <dir>',
      exitCodes.usage,
    );
  if (opts.to && !/^postgres(ql)?:\/\//.test(opts.to))
    throw new CliError(
      '--to takes a postgres:// URL; for a SQLite data directory use --to-data-dir <dir>',
      exitCodes.usage,
    );
  const target = opts.to ? { url: opts.to } : { dataDir: path.resolve(opts.toDataDir!) };
  if (describeStore(target) === describeStore(source))
    throw new CliError('the target is the source itself: name another database or directory');
  return target;
}
