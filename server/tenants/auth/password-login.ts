import { z } from 'zod';
import type { Deps } from '../../app-deps.ts';
import { DomainError } from '../../core/domain-error.ts';
import { parseInput } from '../../core/parse-input.ts';
import { findCompany } from '../companies/company.repository.ts';
import { findMemberByEmail } from '../members/member.repository.ts';
import { hashSecret, verifySecret } from '../secret-hash.ts';
import { maxTokenTtlSeconds } from '../tokens/token-claims.ts';
import { issueAccessToken, type IssuedToken } from '../tokens/token-issuer.ts';

export const loginInput = z.strictObject({
  company: z.string().trim().min(1).max(100).describe('the company slug'),
  email: z
    .email()
    .max(320)
    .transform((e) => e.toLowerCase()),
  password: z.string().min(1).max(200),
});

// Compared against when the member does not exist, so a miss costs as much as a wrong password.
const decoy = hashSecret('no member has this password');

const refused = () =>
  new DomainError('CredentialsInvalid', 'the company, email or password is not right');

/**
 * A member signs in with the password an admin set: a member token for up to one hour. Every
 * failure (unknown company or member, no password set, disabled, wrong password) is the same
 * CredentialsInvalid; RateLimited after 10 tries a minute for one company and email.
 */
export async function passwordLogin(
  deps: Deps<'db' | 'keyRing' | 'config' | 'clock' | 'tokenRateLimiter'>,
  input: z.input<typeof loginInput>,
): Promise<IssuedToken> {
  const { company: slug, email, password } = parseInput(loginInput, input);
  const wait = deps.tokenRateLimiter.hit(`login:${slug}:${email}`);
  if (wait > 0)
    throw new DomainError('RateLimited', `too many sign-in attempts; retry in ${wait} s`);
  const company = await findCompany(deps.db, slug);
  const member = company
    ? await findMemberByEmail(deps.db, { companyId: company.id }, email)
    : undefined;
  const ok = await verifySecret(password, member?.password_hash ?? (await decoy));
  if (!company || !member?.password_hash || member.disabled_at || !ok) throw refused();
  return issueAccessToken(
    deps,
    { companyId: company.id },
    { subject: member.id, ttlSeconds: maxTokenTtlSeconds },
  );
}
