import { z } from 'zod';
import type { Deps } from '../../deps.ts';
import { parseInput } from '../../core/parse-input.ts';
import type { CompanyScope, Principal } from '../principal.ts';
import { insertRevocation } from './revocation.repository.ts';
import { issuerFor, maxTokenTtlSeconds } from './token-claims.ts';

export const revokeTokenInput = z.strictObject({ jti: z.string().min(1).max(200) });

/**
 * Revokes one of the company's own tokens by jti; it is refused from the next request on.
 * Only the company's own issuer is touched, so a company can never revoke another's tokens.
 */
export async function revokeToken(
  deps: Deps<'db' | 'clock' | 'config' | 'tokenCache'>,
  scope: CompanyScope,
  input: z.input<typeof revokeTokenInput>,
): Promise<{ revoked: string }> {
  const { jti } = parseInput(revokeTokenInput, input);
  const now = deps.clock.now();
  // A token lives at most an hour (plus skew), so the entry can go after that.
  const expiresAt = new Date(now.getTime() + (maxTokenTtlSeconds + 120) * 1000).toISOString();
  await insertRevocation(deps.db, scope, {
    issuer: issuerFor(deps.config.publicUrl, scope.companyId),
    jti,
    expiresAt,
    revokedAt: now.toISOString(),
  });
  deps.tokenCache.invalidate();
  return { revoked: jti };
}

/** Signs out: revokes the token the caller is using. */
export async function revokeOwnToken(
  deps: Deps<'db' | 'clock' | 'tokenCache'>,
  actor: Principal,
): Promise<{ revoked: string }> {
  const { issuer, jti, expiresAt } = actor.token;
  await insertRevocation(deps.db, actor, {
    issuer,
    jti,
    expiresAt: new Date((expiresAt + 120) * 1000).toISOString(),
    revokedAt: deps.clock.now().toISOString(),
  });
  deps.tokenCache.invalidate();
  return { revoked: jti };
}
