import { compactVerify, createLocalJWKSet } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../../test/kit/harness.ts';

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.stop());

describe('the deployment key', () => {
  it('is made once when its first signatures race, and they verify with the published JWKS', async () => {
    const { db, deploymentKey } = server.deps;
    const payloads = Array.from({ length: 8 }, (_, i) => `payload ${i}`);
    const signed = await Promise.all(
      payloads.map((payload) => deploymentKey.sign(db, { payload, typ: 'test+jws' })),
    );
    const jwks = await deploymentKey.jwks(db);
    expect(jwks.keys).toHaveLength(1);
    const keys = createLocalJWKSet(jwks);
    for (const [i, jws] of signed.entries()) {
      const { payload, protectedHeader } = await compactVerify(jws, keys);
      expect(new TextDecoder().decode(payload)).toBe(payloads[i]);
      expect(protectedHeader).toMatchObject({ alg: 'EdDSA', typ: 'test+jws' });
    }
  });
});
