import { Command } from 'commander';
import type * as AdminCli from '../../server/admin/cli/index.ts';
import { accountsCommand } from './commands/accounts.command.ts';
import { programCommand } from './commands/insights.command.ts';
import { partnerCommand } from './commands/partner.command.ts';
import { mcpCommand } from './commands/mcp.command.ts';
import { verifyCommand } from './commands/verify.command.ts';
import { webhooksCommand } from './commands/webhooks.command.ts';
import { witnessCommand } from './commands/witness.command.ts';
import { commandWord, runsRegisteredCommand } from './command-word.ts';
import { helpStandIns, type HelpCatalog } from './help-catalog.ts';
import { fail } from './fail.ts';
import { pushCommand } from './push/push.command.ts';

/** The operator commands (server/admin/cli): a type here, loaded by the bin only when needed. */
export type AdminCommands = typeof AdminCli;

/** Every command, in the order `tandem --help` lists them; the operator ones only when given. */
function compose(admin?: AdminCommands): Command {
  const program = new Command('tandem')
    .description('Tandem: the shared co-sell ledger')
    .option(
      '--data-dir <dir>',
      'the data directory for operator commands (default: $TANDEM_DATA_DIR or ./data)',
    )
    .option(
      '--url <url>',
      'the server for remote commands (default: $TANDEM_URL, $TANDEM_PUBLIC_URL, or http://localhost:$PORT, port 4100 unless set)',
    )
    .addHelpText('after', '\nExit codes: 0 ok, 1 failed, 2 usage error.')
    .showHelpAfterError('(add --help for usage)')
    .exitOverride();
  admin?.serverCommands(program);
  admin?.companyCommand(program);
  admin?.memberCommand(program);
  admin?.clientCommand(program);
  admin?.tokenCommand(program);
  admin?.ledgerCommand(program);
  admin?.exportCommand(program);
  verifyCommand(program);
  admin?.backupCommands(program);
  admin?.dbCommand(program);
  partnerCommand(program);
  pushCommand(program);
  accountsCommand(program);
  webhooksCommand(program);
  programCommand(program);
  mcpCommand(program);
  witnessCommand(program);
  return program;
}

/**
 * Runs `tandem` on `argv`. A remote command talks to the API over HTTP alone, so it runs without
 * `loadAdmin`; the top-level help lists the operator commands from `catalog` when there is one
 * (the compiled bin's); anything else (an operator command, its help, a usage error naming the
 * commands) loads the operator commands first, and with them the server.
 */
export async function runTandem(
  loadAdmin: () => Promise<AdminCommands>,
  argv: string[] = process.argv,
  catalog?: HelpCatalog,
): Promise<void> {
  try {
    const remoteOnly = compose();
    const args = argv.slice(2);
    const word = commandWord(remoteOnly, args);
    const topLevelHelp =
      (word === undefined && (args.includes('--help') || args.includes('-h'))) ||
      (word === 'help' &&
        commandWord(remoteOnly, args.slice(args.indexOf('help') + 1)) === undefined);
    const program = runsRegisteredCommand(remoteOnly, args)
      ? remoteOnly
      : compose(topLevelHelp && catalog ? helpStandIns(catalog) : await loadAdmin());
    await program.parseAsync(argv);
  } catch (error) {
    fail(error);
  }
}
