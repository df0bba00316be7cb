import type { Command } from 'commander';
import { CliError, exitCodes } from '../exit-codes.ts';
import { serverUrl } from '../remote.ts';

/**
 * `tandem mcp`: the stdio MCP server a desktop agent client launches. The relay (and the MCP SDK)
 * loads only when the command runs, so other commands and help start without it.
 */
export function mcpCommand(program: Command): void {
  program
    .command('mcp')
    .description(
      'an MCP server on stdio for desktop agent clients, relaying to <url>/mcp with $TANDEM_TOKEN',
    )
    .action(async () => {
      const token = process.env.TANDEM_TOKEN;
      if (!token)
        throw new CliError(
          'set TANDEM_TOKEN to an access token for the agent (a member or API client token)',
          exitCodes.usage,
        );
      // The program's --url, as for every remote command.
      const base = program.opts<{ url?: string }>().url ?? serverUrl(process.env);
      const { relay } = await import('./mcp-relay.ts');
      await relay(new URL(`${base.replace(/\/+$/, '')}/mcp`), token);
    });
}
