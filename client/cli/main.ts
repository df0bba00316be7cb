import { Command, CommanderError } from 'commander';
import { accountsCommand } from './commands/accounts.command.ts';
import { backupCommands } from './commands/backup.command.ts';
import { clientCommand } from './commands/client.command.ts';
import { companyCommand } from './commands/company.command.ts';
import { exportCommand } from './commands/export.command.ts';
import { ledgerCommand } from './commands/ledger.command.ts';
import { verifyCommand } from './commands/verify.command.ts';
import { memberCommand } from './commands/member.command.ts';
import { partnerCommand } from './commands/partner.command.ts';
import { pushCommand } from './push/push.command.ts';
import { serverCommands } from './commands/server.command.ts';
import { tokenCommand } from './commands/token.command.ts';
import { webhooksCommand } from './commands/webhooks.command.ts';
import { CliError, exitCodes } from './exit-codes.ts';

const program = new Command('tandem')
  .description('Tandem: the shared co-sell ledger')
  .option(
    '--data-dir <dir>',
    'the data directory for operator commands (default: $TANDEM_DATA_DIR or ./data)',
  )
  .addHelpText('after', '\nExit codes: 0 ok, 1 failed, 2 usage error.')
  .showHelpAfterError('(add --help for usage)')
  .exitOverride();

serverCommands(program);
companyCommand(program);
memberCommand(program);
clientCommand(program);
tokenCommand(program);
ledgerCommand(program);
exportCommand(program);
verifyCommand(program);
backupCommands(program);
partnerCommand(program);
pushCommand(program);
accountsCommand(program);
webhooksCommand(program);

interface ErrorLike {
  name?: string;
  code?: string;
  message?: string;
  issues?: { path: string; message: string }[];
}

/** Everything ends here: a message that says what to do, an exit code, never a stack trace. */
function fail(error: unknown): never {
  if (error instanceof CommanderError) {
    process.exit(error.exitCode === 0 ? exitCodes.ok : exitCodes.usage);
  }
  if (error instanceof CliError) {
    process.stderr.write(`tandem: ${error.message}\n`);
    process.exit(error.exitCode);
  }
  const e = (error ?? {}) as ErrorLike;
  if (['DomainError', 'ConfigError', 'MasterKeyError', 'MigrationError'].includes(e.name ?? '')) {
    process.stderr.write(`tandem: ${e.message}\n`);
    for (const issue of e.issues ?? []) process.stderr.write(`  ${issue.path}: ${issue.message}\n`);
    process.exit(e.code === 'ValidationFailed' ? exitCodes.usage : exitCodes.failed);
  }
  process.stderr.write(
    `tandem: unexpected failure: ${e.message ?? String(error)}\n(run with LOG_LEVEL=debug for details)\n`,
  );
  process.exit(exitCodes.failed);
}

program.parseAsync(process.argv).catch(fail);
