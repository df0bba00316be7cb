import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { McpError } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { partnerPair, sharedDeal, type PartnerPair } from './kit/fixtures.ts';
import { startTestServer, type TestCompany, type TestServer } from './kit/harness.ts';
import { callTool, mcpClient } from './kit/mcp-client.ts';

// Company C (charlie, a partner of acme but not in the deal) calls every tool with the ids of an
// acme ↔ globex deal. A tool added without a case here fails the suite.

let server: TestServer;
let pair: PartnerPair;
let charlie: TestCompany;
let dealId: string;
let stepId: string;
let acmeConfirmation: string;
let client: Client;

beforeAll(async () => {
  server = await startTestServer();
  pair = await partnerPair(server);
  dealId = await sharedDeal(pair, 'Initech rollout');
  stepId = (
    await pair.a.steps.add.mutate({
      dealId,
      step: { play: 'intro', ownerCompanyId: pair.acme.id, title: 'Kick-off' },
    })
  ).id;
  charlie = await server.company('charlie');
  const invite = await pair.a.partnerships.invite.mutate({
    partner: 'charlie',
    partnerType: 'service',
  });
  await server
    .client(await charlie.memberToken('admin'))
    .partnerships.accept.mutate({ partnershipId: invite.id });
  const acmeAgent = await mcpClient(server.url, await pair.acme.memberToken('alliance'));
  const proposed = await callTool(acmeAgent, 'propose_deal_change', {
    id: dealId,
    patch: { nextStep: 'Mine' },
  });
  acmeConfirmation = (proposed as { result: { confirmation: string } }).result.confirmation;
  await acmeAgent.close();
  client = await mcpClient(server.url, await charlie.memberToken('admin'));
});
afterAll(async () => {
  await client.close();
  await server.stop();
});

type Refused = { refused: string };
type Seen = { ok: (result: unknown) => void };
const cases: Record<string, () => Array<{ args: Record<string, unknown> } & (Refused | Seen)>> = {
  list_deals: () => [
    { args: {}, ok: (r) => expect(JSON.stringify(r)).not.toContain(dealId) },
    { args: { partner: pair.globex.id }, ok: (r) => expect(r).toMatchObject({ items: [] }) },
    { args: { q: 'Initech' }, ok: (r) => expect(r).toMatchObject({ items: [] }) },
  ],
  get_deal: () => [{ args: { id: dealId }, refused: 'NotFound' }],
  attribution_status: () => [{ args: { dealId }, refused: 'NotFound' }],
  recommend_partners: () => [
    {
      args: { draft: { customer: { name: 'Initech', domain: 'initech.example' } } },
      ok: (r) => expect(JSON.stringify(r)).not.toContain(pair.globex.id),
    },
  ],
  program_health: () => [
    {
      args: {},
      ok: (r) => {
        expect(JSON.stringify(r)).not.toContain(dealId);
        expect(JSON.stringify(r)).not.toContain(pair.globex.id);
      },
    },
  ],
  account_overlap: () => [{ args: { partner: pair.globex.id }, refused: 'NotFound' }],
  add_step: () => [
    { args: { dealId, step: { play: 'intro', ownerCompanyId: charlie.id } }, refused: 'NotFound' },
  ],
  update_step: () => [{ args: { dealId, stepId, patch: { status: 'done' } }, refused: 'NotFound' }],
  propose_deal_change: () => [
    { args: { id: dealId, patch: { nextStep: 'Hijack' } }, refused: 'NotFound' },
  ],
  confirm_change: () => [{ args: { confirmation: acmeConfirmation }, refused: 'ValidationFailed' }],
};

describe('company C and an A ↔ B deal, over MCP', () => {
  it('has a case for every tool C is offered', async () => {
    const names = (await client.listTools()).tools.map((t) => t.name).sort();
    expect(Object.keys(cases).sort()).toEqual(names);
  });

  it('sees nothing of the deal and changes nothing through any tool', async () => {
    const before = await pair.a.opportunities.get.query({ id: dealId });
    for (const [tool, make] of Object.entries(cases)) {
      for (const c of make()) {
        const answer = await callTool(client, tool, c.args);
        if ('refused' in c) {
          expect({ tool, answer }).toMatchObject({
            tool,
            answer: { ok: false, error: { code: c.refused } },
          });
        } else {
          expect({ tool, ok: answer.ok }).toEqual({ tool, ok: true });
          if (answer.ok) c.ok(answer.result);
        }
      }
    }
    const after = await pair.a.opportunities.get.query({ id: dealId });
    expect(after.version).toBe(before.version);
    expect(after.steps).toEqual(before.steps);
  });

  it('neither lists nor reads the deal as a resource', async () => {
    const { resources } = await client.listResources();
    expect(resources.map((r) => r.uri)).not.toContain(`tandem://deals/${dealId}`);
    const read = client.readResource({ uri: `tandem://deals/${dealId}` });
    await expect(read).rejects.toBeInstanceOf(McpError);
    await expect(read).rejects.toMatchObject({ code: -32002 });
  });

  it('reads a deal it takes part in as a resource', async () => {
    const acme = await mcpClient(server.url, await pair.acme.memberToken('viewer'));
    const { resources } = await acme.listResources();
    expect(resources.map((r) => r.uri)).toContain(`tandem://deals/${dealId}`);
    const { contents } = await acme.readResource({ uri: `tandem://deals/${dealId}` });
    const body = JSON.parse((contents[0] as { text: string }).text) as { result: { id: string } };
    expect(body.result.id).toBe(dealId);
    await acme.close();
  });
});

describe('/mcp over HTTP', () => {
  const rpc = { jsonrpc: '2.0', id: 1, method: 'tools/list' };
  const post = (headers: Record<string, string>, body: string = JSON.stringify(rpc)) =>
    fetch(`${server.url}/mcp`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: 'application/json, text/event-stream',
        ...headers,
      },
      body,
    });

  it('answers 401 without a token, pointing at the protected resource metadata', async () => {
    const res = await post({});
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toBe(
      'Bearer resource_metadata="http://tandem.test/.well-known/oauth-protected-resource"',
    );
    expect(await res.json()).toMatchObject({ error: { code: 'TokenMissing' } });
  });

  it('answers 401 invalid_token for a bad token', async () => {
    const res = await post({ authorization: 'Bearer not.a.token' });
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toMatch(
      /^Bearer error="invalid_token", resource_metadata=/,
    );
  });

  it('publishes RFC 9728 metadata naming the token endpoint', async () => {
    const res = await fetch(`${server.url}/.well-known/oauth-protected-resource`);
    expect(await res.json()).toMatchObject({
      resource: 'http://tandem.test/mcp',
      authorization_servers: ['http://tandem.test'],
      token_endpoint: 'http://tandem.test/api/v1/token',
      bearer_methods_supported: ['header'],
    });
    const as = await fetch(`${server.url}/.well-known/oauth-authorization-server`);
    expect(await as.json()).toMatchObject({ grant_types_supported: ['client_credentials'] });
  });

  it('refuses a GET stream (stateless) and a body over the limit', async () => {
    const token = await charlie.memberToken('viewer');
    const get = await fetch(`${server.url}/mcp`, { headers: { authorization: `Bearer ${token}` } });
    expect(get.status).toBe(405);
    const big = await post({ authorization: `Bearer ${token}` }, 'x'.repeat(1024 * 1024 + 1));
    expect(big.status).toBe(413);
  });
});
