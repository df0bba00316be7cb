import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';

/** The SDK's own client over Streamable HTTP at `<url>/mcp`, with a bearer token. */
export async function mcpClient(url: string, token: string): Promise<Client> {
  const client = new Client({ name: 'tandem-test', version: '1.0.0' });
  const transport = new StreamableHTTPClientTransport(new URL(`${url}/mcp`), {
    requestInit: { headers: { authorization: `Bearer ${token}` } },
  });
  await client.connect(transport);
  return client;
}

/** A tool's answer: its structured content, or its error body when the call was refused. */
export async function callTool(
  client: Client,
  name: string,
  args: Record<string, unknown>,
): Promise<
  | { ok: true; result: unknown; payload: Record<string, unknown> }
  | {
      ok: false;
      error: { code: string; message: string; issues?: { path: string; message: string }[] };
    }
> {
  const answer = (await client.callTool({ name, arguments: args })) as CallToolResult;
  const payload = answer.structuredContent as Record<string, unknown>;
  // The text block is the same JSON: a client that reads only text sees the same answer.
  const text = answer.content[0];
  if (text?.type !== 'text' || JSON.stringify(JSON.parse(text.text)) !== JSON.stringify(payload))
    throw new Error(`${name}: the text block is not the structured content`);
  if (answer.isError) return { ok: false, error: payload.error as never };
  return { ok: true, result: payload.result, payload };
}
