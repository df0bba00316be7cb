import path from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { partnerPair, sharedDeal, type PartnerPair } from './kit/fixtures.ts';
import { startTestServer, type TestServer } from './kit/harness.ts';

const root = path.resolve(import.meta.dirname, '..');
let server: TestServer;
let pair: PartnerPair;
let dealId: string;

beforeAll(async () => {
  server = await startTestServer();
  pair = await partnerPair(server);
  dealId = await sharedDeal(pair, 'Initech rollout');
});
afterAll(() => server.stop());

function launch(token: string | undefined): StdioClientTransport {
  // As a desktop client launches it: the bin, with the token and URL in its environment.
  return new StdioClientTransport({
    command: process.execPath,
    args: [path.join(root, 'client/cli/tandem.js'), 'mcp'],
    env: {
      PATH: process.env.PATH ?? '',
      TANDEM_URL: server.url,
      ...(token ? { TANDEM_TOKEN: token } : {}),
    },
    stderr: 'pipe',
  });
}

describe('npx tandem mcp (stdio)', () => {
  it('relays tools and writes to the server as the token, via mcp', async () => {
    const client = new Client({ name: 'desktop', version: '1.0.0' });
    await client.connect(launch(await pair.acme.memberToken('seller')));
    const names = (await client.listTools()).tools.map((t) => t.name);
    expect(names).toContain('add_step');
    expect(names).toContain('confirm_change');
    const added = (await client.callTool({
      name: 'add_step',
      arguments: { dealId, step: { play: 'discovery', ownerCompanyId: pair.acme.id } },
    })) as CallToolResult;
    expect(added.isError).toBeFalsy();
    const history = (await pair.b.opportunities.get.query({ id: dealId })).history;
    expect(history.at(-1)?.author).toMatchObject({ via: 'mcp', tool: 'add_step' });
    await client.close();
  }, 30_000);

  it('answers a refused token as an error, not a hang', async () => {
    const client = new Client({ name: 'desktop', version: '1.0.0' });
    await expect(client.connect(launch('not.a.token'))).rejects.toThrow(/refused|401/);
    await client.close();
  }, 30_000);
});
