import type { Command } from 'commander';
import { CliError, exitCodes } from '../exit-codes.ts';

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
    .option('--url <url>', 'the Tandem server (default: $TANDEM_URL or http://localhost:4100)')
    .action(async (opts: { url?: string }) => {
      const token = process.env.TANDEM_TOKEN;
      if (!token)
        throw new CliError(
          'set TANDEM_TOKEN to an access token for the agent (a member or API client token)',
          exitCodes.usage,
        );
      const base = opts.url ?? process.env.TANDEM_URL ?? 'http://localhost:4100';
      const { relay } = await import('./mcp-relay.ts');
      await relay(new URL(`${base.replace(/\/+$/, '')}/mcp`), token);
    });
}
