import type { Scope } from '../../../shared/tenancy/tenancy.ts';
import type { Deps } from '../../deps.ts';
import { DomainError } from '../../core/domain-error.ts';
import type { Principal } from '../principal.ts';
import { refuseExpired, verifyAccessToken } from './token-verifier.ts';

/**
 * Confirms, at commit time inside a write, that the principal verified at the start of the
 * request may still make it: a revocation, key retirement, role change or expiry while the body
 * uploaded or the write queued refuses it. Costs a look into the verified-token cache while
 * nothing bearing on tokens has changed; otherwise the token is verified again on `deps.db`
 * (pass the write's transaction: the connection is its own). Raises TokenInvalid, TokenExpired,
 * or Forbidden when `scope` was withdrawn meanwhile.
 */
export async function recheckAccessToken(
  deps: Deps<'db' | 'keyRing' | 'config' | 'clock' | 'tokenCache'>,
  token: string,
  principal: Principal,
  scope: Scope | undefined,
): Promise<void> {
  if (deps.tokenCache.stillHolds(token, principal)) {
    refuseExpired(principal, deps.clock.now());
    return;
  }
  const now = await verifyAccessToken(deps, token);
  if (scope && !now.scopes.has(scope))
    throw new DomainError('Forbidden', `this needs the ${scope} permission`);
}
