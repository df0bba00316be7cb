import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import {
  CallToolRequestSchema,
  ErrorCode,
  ListToolsRequestSchema,
  McpError,
} from '@modelcontextprotocol/sdk/types.js';
import { registerDealResources } from './resources.ts';
import { callTool, confirmTool, listTools, type McpCaller } from './tool-calls.ts';
import { toolCatalog } from './tool-catalog.ts';
import { untrustedTextNotice } from './tool-result.ts';

const instructions =
  'Tandem is the shared record of deals your company sells together with partners. You act for ' +
  "one company with exactly its user's rights. Changes to a deal's fields are proposed first and " +
  'written only by confirm_change after the user agrees. Signing attribution, accepting ' +
  'partnerships and managing keys or members stay with people. ' +
  untrustedTextNotice;

/**
 * One MCP server for one request's principal (the HTTP face is stateless, so a server lives for
 * one request). The SDK's low-level Server is used, not McpServer, on purpose: the tools are the
 * procedures, listed per principal, and each call's arguments are validated by the procedure
 * itself, so refusals carry Tandem's error codes and field paths rather than the SDK's own.
 */
export function createMcpServer(caller: McpCaller, version: string): Server {
  const server = new Server(
    { name: 'tandem', title: 'Tandem co-sell ledger', version },
    { capabilities: { tools: {}, resources: {} }, instructions },
  );
  server.setRequestHandler(ListToolsRequestSchema, () => ({
    tools: listTools(caller.context.verified),
  }));
  server.setRequestHandler(CallToolRequestSchema, (request) => {
    const { name, arguments: args = {} } = request.params;
    const entry = name === confirmTool ? 'confirm' : toolCatalog.get(name);
    if (!entry) throw new McpError(ErrorCode.InvalidParams, `no tool ${name}`);
    return callTool(caller, entry, args);
  });
  registerDealResources(server, caller);
  return server;
}
