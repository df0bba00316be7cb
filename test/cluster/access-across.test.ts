import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { issueAccessToken } from '../../server/tenants/tokens/token-issuer.ts';
import { startCluster } from '../kit/cluster.ts';
import type { TestCompany, TestServer } from '../kit/harness.ts';
import { eventually } from '../kit/sync-client.ts';

/**
 * What ends a credential, done through one instance, holds on every other within a second: the
 * verified-token caches hear of it over the bus (the tables' triggers notify on commit).
 */
describe('credentials ended on one instance are refused on the other', () => {
  let cluster: Awaited<ReturnType<typeof startCluster>>;
  let acme: TestCompany;
  let adminOnA: ReturnType<TestServer['client']>;
  const a = () => cluster.instances[0]!;
  const b = () => cluster.instances[1]!;

  /** A new member's token, already accepted (and so cached) by instance B. */
  async function warmToken(email: string): Promise<{ token: string; memberId: string }> {
    const member = await adminOnA.members.add.mutate({ email, name: email, role: 'alliance' });
    const { token } = await issueAccessToken(
      a().deps,
      { companyId: acme.id },
      { subject: member.id, ttlSeconds: 900 },
    );
    await b().client(token).opportunities.list.query({});
    return { token, memberId: member.id };
  }
  const refusedOnB = (token: string) =>
    eventually(
      () => expect(b().client(token).opportunities.list.query({})).rejects.toThrow(),
      1000,
    );

  beforeAll(async () => {
    cluster = await startCluster(2);
    acme = await a().company('acme');
    adminOnA = a().client(await acme.memberToken('admin'));
  });
  afterAll(() => cluster?.stop());

  it('a revoked token', async () => {
    const { token } = await warmToken('revoked@acme.test');
    await a().client(token).tokens.revokeCurrent.mutate();
    await refusedOnB(token);
  });

  it('a disabled member', async () => {
    const { token, memberId } = await warmToken('disabled@acme.test');
    await adminOnA.members.disable.mutate({ memberId });
    await refusedOnB(token);
  });

  it('a retired signing key', async () => {
    const { token } = await warmToken('retired-key@acme.test');
    const [old] = (await adminOnA.keys.list.query()).filter(
      (k) => k.purpose === 'access' && k.retiredAt === null,
    );
    await adminOnA.keys.rotate.mutate({ purpose: 'access' });
    await adminOnA.keys.retire.mutate({ kid: old!.kid });
    await refusedOnB(token);
  });
});
