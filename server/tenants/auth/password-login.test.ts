import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startTestServer, type TestCompany, type TestServer } from '../../../test/kit/harness.ts';
import { addMember, setMemberPassword } from '../members/member.service.ts';
import { loginLimits } from './password-login.ts';

let server: TestServer;
let acme: TestCompany;

beforeEach(async () => {
  server = await startTestServer();
  acme = await server.company('acme');
  const scope = { companyId: acme.id };
  const ada = await addMember(server.deps, scope, {
    email: 'ada@acme.test',
    name: 'Ada',
    role: 'admin',
  });
  await setMemberPassword(server.deps, scope, {
    memberId: ada.id,
    password: 'correct horse battery',
  });
});
afterEach(() => server.stop());

async function login(company: string, email: string, password = 'wrong password 123') {
  const res = await fetch(`${server.url}/trpc/auth.login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ company, email, password }),
  });
  return { status: res.status, retryAfter: res.headers.get('retry-after') };
}

/** The attempt (1-based) at which the first 429 came, or 0 if none did. */
async function firstRefusal(attempts: (n: number) => Promise<{ status: number }>, max: number) {
  for (let n = 1; n <= max; n++) if ((await attempts(n)).status === 429) return n;
  return 0;
}

describe('password sign-in limits', () => {
  it('counts a member by company, whether the company is named by slug or by id', async () => {
    const at = await firstRefusal(
      (n) => login(n % 2 === 0 ? acme.slug : acme.id, 'ada@acme.test'),
      3 * loginLimits.perMember,
    );
    expect(at).toBe(loginLimits.perMember + 1);
    const refused = await login(acme.slug, 'ada@acme.test', 'correct horse battery');
    expect(refused.status).toBe(429);
    expect(Number(refused.retryAfter)).toBeGreaterThan(0);
  });

  it('stops one password sprayed over many members of a company', async () => {
    const at = await firstRefusal(
      (n) => login(acme.slug, `member${n}@acme.test`),
      3 * loginLimits.perCompany,
    );
    expect(at).toBe(loginLimits.perCompany + 1);
  });

  it('stops one address trying many companies', async () => {
    const at = await firstRefusal(
      (n) => login(`company-${n}`, 'ada@acme.test'),
      3 * loginLimits.perSource,
    );
    expect(at).toBe(loginLimits.perSource + 1);
  });

  it('still signs in a member with the right password under the limits', async () => {
    expect((await login(acme.slug, 'ada@acme.test', 'correct horse battery')).status).toBe(200);
  });
});
