import type { Command } from 'commander';
import { withLocalDeps } from '../local-admin.ts';
import { mintToken } from '../../tenants/tokens/mint-token.ts';
import { parseDuration } from './duration.ts';
import { CliError, exitCodes } from '../../../client/cli/exit-codes.ts';

export function tokenCommand(program: Command): void {
  program
    .command('token')
    .description(
      'mint an access token for a member or API client; prints the token alone on stdout',
    )
    .requiredOption('--company <id|slug>', 'the company the token acts for')
    .option('--member <email>', 'the member the token acts as')
    .option('--client <id>', 'the API client the token acts as')
    .option('--ttl <duration>', 'lifetime, up to 1h (e.g. 900, 15m, 1h)', parseDuration, 900)
    .action(async (opts: { company: string; member?: string; client?: string; ttl: number }) => {
      if (Boolean(opts.member) === Boolean(opts.client)) {
        throw new CliError(
          'name exactly one of --member <email> or --client <id>',
          exitCodes.usage,
        );
      }
      const issued = await withLocalDeps(program.opts<{ dataDir?: string }>().dataDir, (deps) =>
        mintToken(deps, {
          company: opts.company,
          member: opts.member,
          client: opts.client,
          ttlSeconds: opts.ttl,
        }),
      );
      process.stdout.write(issued.token + '\n');
    });
}
