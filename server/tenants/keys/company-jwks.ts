import type { JWK } from 'jose';
import { parseVkey } from '../../../shared/ledger/signed-note.ts';
import type { Deps } from '../../deps.ts';
import type { Executor } from '../../store/db.ts';
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
  jwks.keys.push(...(await witnessJwks(deps.db, companyId)));
  return { iss: issuerFor(deps.config.publicUrl, companyId), ...jwks };
}

/**
 * The company's transparency-log witness keys (registered through the transparency API), retired
 * ones too, so an offline verifier needs nothing beyond the companies' published keys and the
 * log's. `use` is not `sig`: no JWS verifier takes one for an attestation key.
 */
async function witnessJwks(db: Executor, companyId: string): Promise<JWK[]> {
  const rows = await db
    .selectFrom('witness_keys')
    .select(['key_id', 'vkey'])
    .where('company_id', '=', companyId)
    .orderBy('created_at')
    .execute();
  return rows.map((r) => ({
    kty: 'OKP',
    crv: 'Ed25519',
    x: Buffer.from(parseVkey(r.vkey).publicKey).toString('base64url'),
    kid: `witness-${r.key_id}`,
    use: 'tandem-witness',
    vkey: r.vkey,
  }));
}
