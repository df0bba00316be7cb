import type { JWK } from 'jose';
import type { Deps } from '../../deps.ts';
import { getCompany } from '../companies/company.service.ts';
import { issuerFor } from '../tokens/token-claims.ts';

/**
 * A company's public keys as a JWKS, with `iss` naming whose keys they are, so that a saved copy
 * still binds the keys to the company offline. Raises NotFound (no such company).
 */
export async function companyJwks(
  deps: Deps<'db' | 'keyRing' | 'config'>,
  companyId: string,
): Promise<{ iss: string; keys: JWK[] }> {
  await getCompany(deps, companyId);
  const jwks = await deps.keyRing.jwks(deps.db, { companyId });
  return { iss: issuerFor(deps.config.publicUrl, companyId), ...jwks };
}
