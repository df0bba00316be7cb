import type { Command } from 'commander';
import { backupDatabase, restoreDatabase } from '../../store/sqlite/backup.ts';
import { loadConfig } from '../../config.ts';
import { openDatabase } from '../../store/sqlite/db.ts';
import { verifyLedger } from '../../ledger/ledger-verify.ts';
import { CliError } from '../../../client/cli/exit-codes.ts';

/** The SQLite data directory; on PostgreSQL, says to use PostgreSQL's own tools instead. */
function dataDirOf(program: Command): string {
  const dir = program.opts<{ dataDir?: string }>().dataDir;
  const config = loadConfig(dir ? { ...process.env, TANDEM_DATA_DIR: dir } : process.env);
  if (config.database)
    throw new CliError(
      'tandem backup and restore copy the SQLite file; this install uses PostgreSQL (TANDEM_DATABASE_URL): back it up with pg_dump -Fc and restore with pg_restore, and keep master.key apart',
    );
  return config.dataDir;
}

async function guard<T>(fn: () => Promise<T> | T): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    throw new CliError((error as Error).message);
  }
}

export function backupCommands(program: Command): void {
  program
    .command('backup <file>')
    .description(
      'online backup of the database to <file>, safe while the server runs (master.key is not included: back it up apart)',
    )
    .action(async (file: string) => {
      const { pages, bytes } = await guard(() => backupDatabase(dataDirOf(program), file));
      process.stdout.write(
        `backed up ${pages} pages (${bytes} bytes) to ${file}\nmaster.key is not in the backup: keep a copy of it apart.\n`,
      );
    });
  program
    .command('restore <file>')
    .description(
      'restore a backup into an empty data directory (--data-dir), then verify its ledger',
    )
    .action(async (file: string) => {
      const dataDir = dataDirOf(program);
      await guard(() => restoreDatabase(file, dataDir));
      // Opened bare, not through the app: that would make a new master.key where the old one belongs.
      const db = openDatabase(dataDir);
      const result = await verifyLedger(db).finally(() => db.destroy());
      if (!result.ok)
        throw new CliError(
          `restored, but the ledger does not verify at event ${result.broken?.seq}: ${result.broken?.reason}`,
        );
      process.stdout.write(
        `restored into ${dataDir}; ledger ok (${result.events} events). Put the original master.key in ${dataDir} before starting.\n`,
      );
    });
}
