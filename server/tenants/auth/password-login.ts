import { z } from 'zod';
import type { Deps } from '../../deps.ts';
import { DomainError, rateLimited } from '../../core/domain-error.ts';
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

/**
 * Sign-in attempts a minute: for one member (guessing a password), for one company across its
 * members (one password sprayed over many), and from one address across companies.
 */
export const loginLimits = { perMember: 10, perCompany: 30, perSource: 60 };

// Compared against when the member does not exist, so a miss costs as much as a wrong password.
const decoy = hashSecret('no member has this password');

const refused = () =>
  new DomainError('CredentialsInvalid', 'the company, email or password is not right');

/**
 * A member signs in with the password an admin set: a member token for up to one hour. Every
 * failure (unknown company or member, no password set, disabled, wrong password) is the same
 * CredentialsInvalid; RateLimited (see `loginLimits`) before the password is even compared.
 */
export async function passwordLogin(
  deps: Deps<'db' | 'keyRing' | 'config' | 'clock' | 'tokenRateLimiter'>,
  input: z.input<typeof loginInput> & { source?: string | undefined },
): Promise<IssuedToken> {
  const {
    company: slug,
    email,
    password,
  } = parseInput(loginInput, {
    company: input.company,
    email: input.email,
    password: input.password,
  });
  const company = await findCompany(deps.db, slug);
  // The company is counted by its id, however it was named (slug or id, any case).
  const companyKey = company?.id ?? `unknown:${slug.toLowerCase()}`;
  const wait = Math.max(
    ...(await Promise.all([
      deps.tokenRateLimiter.hit(`login:member:${companyKey}:${email}`, loginLimits.perMember),
      deps.tokenRateLimiter.hit(`login:company:${companyKey}`, loginLimits.perCompany),
      input.source
        ? deps.tokenRateLimiter.hit(`login:source:${input.source}`, loginLimits.perSource)
        : 0,
    ])),
  );
  if (wait > 0) throw rateLimited('too many sign-in attempts', wait);
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
