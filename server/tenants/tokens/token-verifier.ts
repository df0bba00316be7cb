import { decodeJwt, decodeProtectedHeader, errors, jwtVerify, type JWTPayload } from 'jose';
import { roleScopes, scopes as allScopes, type Scope } from '../../../shared/tenancy/tenancy.ts';
import type { Deps } from '../../deps.ts';
import { DomainError } from '../../core/domain-error.ts';
import { findClient } from '../clients/api-client.repository.ts';
import { findMember } from '../members/member.repository.ts';
import type { CompanyScope, Principal } from '../principal.ts';
import { isRevoked } from './revocation.repository.ts';
import {
  accessTokenType,
  clockSkewSeconds,
  companyIdOfIssuer,
  maxTokenTtlSeconds,
} from './token-claims.ts';

const invalid = (why: string) => new DomainError('TokenInvalid', `invalid access token: ${why}`);

// Headers that would let a token name its own verification key; we never use them, and refuse
// tokens that carry them rather than guess what the sender meant.
const keyCarryingHeaders = ['jku', 'jwk', 'x5u', 'x5c'] as const;

function readHeaderAndIssuer(token: string): { kid: string; alg: string; issuer: string } {
  let header: ReturnType<typeof decodeProtectedHeader>;
  let payload: JWTPayload;
  try {
    header = decodeProtectedHeader(token);
    payload = decodeJwt(token);
  } catch {
    throw invalid('not a JWT');
  }
  if (keyCarryingHeaders.some((h) => h in header))
    throw invalid('key-carrying headers are not accepted');
  if (typeof header.kid !== 'string' || typeof header.alg !== 'string')
    throw invalid('kid and alg are required');
  if (typeof payload.iss !== 'string') throw invalid('iss is required');
  return { kid: header.kid, alg: header.alg, issuer: payload.iss };
}

async function scopesOf(
  deps: Deps<'db'>,
  scope: CompanyScope,
  payload: JWTPayload,
): Promise<Set<Scope>> {
  const sub = payload.sub ?? '';
  if (sub.startsWith('mem_')) {
    const member = await findMember(deps.db, scope, sub);
    if (!member || member.disabled_at) throw invalid('the member is unknown or disabled');
    return new Set(roleScopes[member.role]);
  }
  if (sub.startsWith('cli_')) {
    const client = await findClient(deps.db, scope, sub);
    if (!client || client.revoked_at) throw invalid('the API client is unknown or revoked');
    const granted = new Set(JSON.parse(client.scopes) as Scope[]);
    if (typeof payload.scope !== 'string') return granted;
    const asked = payload.scope
      .split(' ')
      .filter((s): s is Scope => (allScopes as readonly string[]).includes(s));
    return new Set(asked.filter((s) => granted.has(s)));
  }
  throw invalid('sub names no member or API client');
}

/**
 * Verifies an access token against the keys of the company its `iss` names, and only those.
 * Checks alg (per key), typ, iss, aud, exp, nbf and iat (60 s skew), a one-hour maximum life,
 * jti revocation, key retirement, and that the member or client still exists and is enabled.
 * Raises TokenInvalid or TokenExpired; never says which company a bad token tried to reach.
 */
export async function verifyAccessToken(
  deps: Deps<'db' | 'keyRing' | 'config' | 'clock' | 'tokenCache'>,
  token: string,
): Promise<Principal> {
  const { principal: cached, stamp } = deps.tokenCache.lookup(token);
  if (cached) {
    refuseExpired(cached, deps.clock.now());
    return cached;
  }
  const principal = await verifyFully(deps, token);
  deps.tokenCache.set(token, principal, stamp);
  return principal;
}

/** Raises TokenExpired once the token's `exp` (give or take the allowed skew) has passed. */
export function refuseExpired(principal: Principal, now: Date): void {
  if (principal.token.expiresAt + clockSkewSeconds < now.getTime() / 1000)
    throw new DomainError('TokenExpired', 'the access token has expired; get a new one');
}

async function verifyFully(
  deps: Deps<'db' | 'keyRing' | 'config' | 'clock'>,
  token: string,
): Promise<Principal> {
  const { kid, issuer } = readHeaderAndIssuer(token);
  const companyId = companyIdOfIssuer(deps.config.publicUrl, issuer);
  if (!companyId) throw invalid('unknown issuer');
  const scope = { companyId };
  const key = await deps.keyRing.verificationKey(deps.db, scope, kid);
  if (!key || key.purpose !== 'access') throw invalid('unknown or retired key');

  let payload: JWTPayload;
  try {
    ({ payload } = await jwtVerify(token, key.key, {
      algorithms: [key.alg],
      issuer,
      audience: deps.config.publicUrl,
      typ: accessTokenType,
      requiredClaims: ['exp', 'iat', 'jti', 'sub'],
      clockTolerance: clockSkewSeconds,
      maxTokenAge: maxTokenTtlSeconds,
      currentDate: deps.clock.now(),
    }));
  } catch (error) {
    if (error instanceof errors.JWTExpired)
      throw new DomainError('TokenExpired', 'the access token has expired; get a new one');
    throw invalid(error instanceof errors.JOSEError ? error.code : 'verification failed');
  }
  const { exp, iat, jti } = payload as Required<Pick<JWTPayload, 'exp' | 'iat' | 'jti'>>;
  if (exp - iat > maxTokenTtlSeconds) throw invalid('lifetime over one hour');
  if (await isRevoked(deps.db, { issuer, jti })) throw invalid('revoked');

  const granted = await scopesOf(deps, scope, payload);
  return {
    companyId,
    kind: payload.sub!.startsWith('mem_') ? 'member' : 'client',
    id: payload.sub!,
    scopes: granted,
    token: { issuer, jti, expiresAt: exp },
  };
}

/** `Authorization: Bearer <token>` → the token. Raises TokenMissing or TokenInvalid. */
export function bearerToken(header: string | undefined): string {
  if (!header)
    throw new DomainError('TokenMissing', 'send an access token: Authorization: Bearer <token>');
  const match = /^Bearer ([A-Za-z0-9._~+/=-]+)$/.exec(header.trim());
  if (!match?.[1]) throw invalid('the Authorization header must be "Bearer <token>"');
  return match[1];
}
