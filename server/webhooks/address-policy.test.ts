import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../test/kit/harness.ts';
import { refusal } from '../../test/kit/refusal.ts';
import { isPublicAddress } from './address-policy.ts';
import { postDelivery } from './webhook-sender.ts';

describe('the webhook address policy', () => {
  it('tells public addresses from loopback, private, link-local and mapped ones', () => {
    for (const ok of ['93.184.216.34', '8.8.8.8', '2606:4700::1111', '::ffff:808:808'])
      expect(isPublicAddress(ok), ok).toBe(true);
    for (const bad of [
      '127.0.0.1',
      '10.1.2.3',
      '172.20.0.1',
      '192.168.1.1',
      '169.254.169.254',
      '100.64.0.1',
      '0.0.0.0',
      '::1',
      '::',
      'fe80::1',
      'fd00::1',
      '::ffff:127.0.0.1',
      '::ffff:10.0.0.1',
      '::ffff:7f00:1',
      'not an ip',
    ])
      expect(isPublicAddress(bad), bad).toBe(false);
  });

  /** One delivery attempt on a deployment that allows no development receivers. */
  const attempt = (url: string) =>
    postDelivery({
      url,
      body: '{}',
      headers: {},
      timeoutMs: 1000,
      allowPrivate: false,
      signal: new AbortController().signal,
    });

  it('refuses to send to a private address literal unless allowed', async () => {
    const result = await attempt('http://127.0.0.1:9/x');
    expect(result).toMatchObject({ ok: false, statusCode: null });
    expect(result.error).toMatch(/private or local/);
  });

  it('refuses to send over plain http unless development receivers are allowed', async () => {
    const result = await attempt('http://93.184.216.34/x');
    expect(result).toMatchObject({ ok: false, statusCode: null });
    expect(result.error).toMatch(/plain http/);
  });
});

describe('registering endpoints on a deployment that does not allow private addresses', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ env: { TANDEM_WEBHOOKS_ALLOW_PRIVATE: '0' } });
  });
  afterAll(() => server.stop());

  it('refuses URLs that resolve to loopback, private or link-local addresses', async () => {
    const acme = await server.company('acme');
    const client = server.client(await acme.memberToken('admin'));
    for (const url of [
      'http://127.0.0.1:4100/hook',
      'http://localhost/hook',
      'http://10.0.0.8/hook',
      'http://169.254.169.254/latest/meta-data',
      'https://[::1]/hook',
      'http://[::ffff:192.168.0.1]/hook',
    ]) {
      const error = await refusal(client.webhooks.create.mutate({ url }));
      expect(error.data, url).toMatchObject({ code: 'ValidationFailed' });
      expect(error.message, url).toMatch(/private or local address/);
    }
    // A public address over plain http: the deliveries would cross the internet in clear text.
    const plain = await refusal(
      client.webhooks.create.mutate({ url: 'http://93.184.216.34/hook' }),
    );
    expect(plain.data).toMatchObject({ code: 'ValidationFailed' });
    expect(plain.message).toMatch(/https:\/\//);
    expect(await client.webhooks.list.query()).toEqual([]);
    const paused = await server.deps.db.selectFrom('webhook_endpoints').select('id').execute();
    expect(paused).toEqual([]);
  });
});
