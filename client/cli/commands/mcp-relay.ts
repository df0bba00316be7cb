import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { isJSONRPCRequest, type JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';

/**
 * Relays JSON-RPC between a desktop client on stdio and the server's `/mcp`, message by message,
 * adding the token: the server does all the work, so stdio and HTTP agents get the same tools and
 * the same rights. A request the server cannot be reached for is answered with an error, so the
 * client is never left waiting. stdout carries only protocol messages; diagnostics go to stderr.
 */
export async function relay(url: URL, token: string): Promise<void> {
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
