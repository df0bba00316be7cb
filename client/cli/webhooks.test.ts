import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { partnerPair } from '../../test/kit/fixtures.ts';
import { startTestServer, type TestServer } from '../../test/kit/harness.ts';
import { runCliAsync } from '../../test/kit/process.ts';
import { eventually, startReceiver, type Receiver } from '../../test/kit/webhook-receiver.ts';

let server: TestServer;
let receiver: Receiver;
let env: Record<string, string>;

beforeAll(async () => {
  server = await startTestServer();
  receiver = await startReceiver();
  const { acme } = await partnerPair(server);
  env = { TANDEM_URL: server.url, TANDEM_TOKEN: await acme.memberToken('alliance') };
});
afterAll(async () => {
  await server.stop();
  await receiver.close();
});

const tandem = (...args: string[]) => runCliAsync(['webhooks', ...args], env);

describe('tandem webhooks (against the running server)', () => {
  it('adds, lists, pauses, resumes, replays, shows deliveries and removes an endpoint', async () => {
    const added = await tandem('add', receiver.url, '--events', 'opportunity.*', '--json');
    expect(added.status, added.stderr).toBe(0);
    const endpoint = JSON.parse(added.stdout) as { id: string; status: string; events: string[] };
    expect(endpoint).toMatchObject({ status: 'active', events: ['opportunity.*'] });

    const paused = await tandem('pause', endpoint.id);
    expect(paused.stdout).toMatch(/status\s+paused/);
    const client = server.client(env.TANDEM_TOKEN);
    await client.opportunities.create.mutate({
      fields: { title: 'CLI deal', customer: { name: 'Hooli' }, amountMinor: 100, currency: 'EUR' },
    });
    const listed = await tandem('list');
    expect(listed.stdout).toContain(endpoint.id);
    expect(listed.stdout).toContain('paused');

    expect((await tandem('resume', endpoint.id)).status).toBe(0);
    await eventually(() => receiver.acknowledged().length >= 1);
    expect(receiver.received[0]!.body.type).toBe('opportunity.created');

    // From the start (no --after), then after the cursor the delivery named: nothing follows it.
    const replay = await tandem('replay', endpoint.id);
    expect(replay.status, replay.stderr).toBe(0);
    await eventually(() => receiver.acknowledged().length >= 2);
    const log = await tandem('deliveries', endpoint.id);
    const id = receiver.received[0]!.body.id;
    expect(log.stdout).toMatch(
      new RegExp(`${id}\\s+opportunity\\.created\\s+delivered\\s+2\\s+200`),
    );
    const after = await tandem('replay', endpoint.id, '--after', receiver.received[0]!.body.cursor);
    expect(after.status, after.stderr).toBe(0);
    const refused = await tandem('replay', endpoint.id, '--after', '0');
    expect(refused.status).not.toBe(0);
    expect(refused.stderr).toContain('after: not a cursor Tandem gave you');

    const removed = await tandem('remove', endpoint.id);
    expect(removed.stdout).toContain(`removed ${endpoint.id}`);
    expect(await client.webhooks.list.query()).toEqual([]);
    // Each run of the CLI starts a process: slow on a busy machine.
  }, 120_000);
});
