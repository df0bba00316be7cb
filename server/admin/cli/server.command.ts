import type { Command } from 'commander';
import { withLocalDeps } from '../local-admin.ts';

export function serverCommands(program: Command): void {
  program
    .command('serve')
    .description(
      'start the server (same as `npm start`; configured by PORT, TANDEM_DATA_DIR, TANDEM_PUBLIC_URL, LOG_LEVEL)',
    )
    .action(async () => {
      const dataDir = program.opts<{ dataDir?: string }>().dataDir;
      if (dataDir) process.env.TANDEM_DATA_DIR = dataDir;
      const { runMain, exitOnStartFailure } = await import('../../main.ts');
      await runMain().catch(exitOnStartFailure);
    });

  program
    .command('migrate')
    .description('bring the database in the data directory to the newest schema')
    .action(async () => {
      // Opening the data directory migrates it; nothing else to do.
      await withLocalDeps(program.opts<{ dataDir?: string }>().dataDir, async () => undefined);
      process.stdout.write('database is up to date\n');
    });
}
