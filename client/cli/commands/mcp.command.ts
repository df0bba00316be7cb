import type { Command } from 'commander';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { isJSONRPCRequest, type JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';
import { CliError, exitCodes } from '../exit-codes.ts';

/**
 * Relays JSON-RPC between a desktop client on stdio and the server's `/mcp`, message by message,
 * adding the token: the server does all the work, so stdio and HTTP agents get the same tools and
 * the same rights. A request the server cannot be reached for is answered with an error, so the
 * client is never left waiting. stdout carries only protocol messages; diagnostics go to stderr.
 */
async function relay(url: URL, token: string): Promise<void> {
  const local = new StdioServerTransport();
  const remote = new StreamableHTTPClientTransport(url, {
    requestInit: { headers: { authorization: `Bearer ${token}` } },
  });
  const failed = (message: JSONRPCMessage, error: unknown) => {
    const reason = error instanceof Error ? error.message : String(error);
    process.stderr.write(`tandem mcp: ${url.href}: ${reason}\n`);
    if (isJSONRPCRequest(message))
      void local.send({
        jsonrpc: '2.0',
        id: message.id,
        error: {
          code: -32603,
          message: `the Tandem server refused or could not be reached: ${reason}`,
        },
      });
  };
  local.onmessage = (message) => {
    remote.send(message).catch((error: unknown) => failed(message, error));
  };
  remote.onmessage = (message) => {
    void local.send(message);
  };
  remote.onerror = (error) => process.stderr.write(`tandem mcp: ${error.message}\n`);
  const closed = new Promise<void>((resolve) => {
    local.onclose = () => resolve();
  });
  await remote.start();
  await local.start();
  // stdin ending is the client closing the server.
  process.stdin.once('end', () => void local.close());
  await closed;
  await remote.close();
}

/** `tandem mcp`: the stdio MCP server a desktop agent client launches. */
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
      await relay(new URL(`${base.replace(/\/+$/, '')}/mcp`), token);
    });
}
