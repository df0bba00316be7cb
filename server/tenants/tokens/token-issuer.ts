import { randomUUID } from 'node:crypto';
import { SignJWT } from 'jose';
import type { Scope } from '../../../shared/tenancy/tenancy.ts';
import type { Deps } from '../../deps.ts';
import { epochSeconds } from '../../core/clock.ts';
import { DomainError } from '../../core/domain-error.ts';
import type { CompanyScope } from '../principal.ts';
import { accessTokenType, issuerFor, maxTokenTtlSeconds } from './token-claims.ts';

export interface IssuedToken {
  token: string;
  jti: string;
  expiresAt: number;
  expiresIn: number;
}

/**
 * Signs an access token for a member or API client of the company with its current access key.
 * `scopes` narrows a client's token; members get their role's scopes at each request.
 * Raises ValidationFailed for a lifetime over one hour, InvalidState without a key.
 */
export async function issueAccessToken(
  deps: Deps<'db' | 'keyRing' | 'config' | 'clock'>,
  scope: CompanyScope,
  input: { subject: string; ttlSeconds: number; scopes?: readonly Scope[] },
): Promise<IssuedToken> {
  if (
    !Number.isInteger(input.ttlSeconds) ||
    input.ttlSeconds < 1 ||
    input.ttlSeconds > maxTokenTtlSeconds
  ) {
    throw new DomainError(
      'ValidationFailed',
      `token lifetime must be 1 to ${maxTokenTtlSeconds} seconds`,
      [{ path: 'ttl', message: `between 1 second and 1 hour` }],
    );
  }
  const key = await deps.keyRing.signingKey(deps.db, scope, 'access');
  const now = epochSeconds(deps.clock);
  const jti = randomUUID();
  const expiresAt = now + input.ttlSeconds;
  const token = await new SignJWT(input.scopes ? { scope: input.scopes.join(' ') } : {})
    .setProtectedHeader({ alg: key.alg, kid: key.kid, typ: accessTokenType })
    .setIssuer(issuerFor(deps.config.publicUrl, scope.companyId))
    .setAudience(deps.config.publicUrl)
    .setSubject(input.subject)
    .setIssuedAt(now)
    .setExpirationTime(expiresAt)
    .setJti(jti)
    .sign(key.privateKey);
  return { token, jti, expiresAt, expiresIn: input.ttlSeconds };
}
