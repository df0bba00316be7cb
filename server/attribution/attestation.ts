import { createHash } from 'node:crypto';
import { FlattenedSign, flattenedVerify, type CryptoKey } from 'jose';
import type { Deps } from '../deps.ts';
import type { Executor } from '../store/db.ts';
import { DomainError } from '../core/domain-error.ts';
import { issuerFor } from '../tenants/tokens/token-claims.ts';
import type { CompanyScope } from '../tenants/principal.ts';

export const attestationType = 'tandem-attribution+jws';

export function sha256Hex(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/**
 * Signs `payload` (canonical JSON) as one signature of a General JSON JWS, with the company's
 * server-held attestation key. The protected header names the key (`kid`) and the company (`iss`,
 * its issuer URL), so an offline verifier knows whose JWK Set must hold the key.
 */
export async function signAsCompany(
  deps: Deps<'db' | 'keyRing' | 'config'>,
  scope: CompanyScope,
  payload: string,
): Promise<{ protected: string; signature: string }> {
  const key = await deps.keyRing.signingKey(deps.db, scope, 'attestation');
  const jws = await new FlattenedSign(new TextEncoder().encode(payload))
    .setProtectedHeader({
      alg: key.alg,
      kid: key.kid,
      iss: issuerFor(deps.config.publicUrl, scope.companyId),
      typ: attestationType,
    })
    .sign(key.privateKey);
  return { protected: jws.protected!, signature: jws.signature };
}

/**
 * Checks a signature a company made itself, with a key it registered for attestation.
 * Raises ValidationFailed naming what is wrong.
 */
export async function checkCompanySignature(
  deps: Deps<'keyRing' | 'config'> & { db: Executor },
  scope: CompanyScope,
  input: { payload: string; protected: string; signature: string },
): Promise<void> {
  const bad = (message: string) =>
    new DomainError('ValidationFailed', `signature refused: ${message}`, [
      { path: 'signature', message },
    ]);
  let header: { alg?: string; kid?: string; iss?: string };
  try {
    header = JSON.parse(
      Buffer.from(input.protected, 'base64url').toString('utf8'),
    ) as typeof header;
  } catch {
    throw bad('the protected header is not base64url JSON');
  }
  if (header.iss !== issuerFor(deps.config.publicUrl, scope.companyId))
    throw bad('the protected header must name your company as iss');
  const key = header.kid
    ? await deps.keyRing.verificationKey(deps.db, scope, header.kid)
    : undefined;
  if (!key || key.purpose !== 'attestation') throw bad('kid is not one of your attestation keys');
  if (header.alg !== key.alg) throw bad(`alg must be ${key.alg} for this key`);
  try {
    await flattenedVerify(
      {
        payload: Buffer.from(input.payload).toString('base64url'),
        protected: input.protected,
        signature: input.signature,
      },
      key.key as CryptoKey,
      { algorithms: [key.alg] },
    );
  } catch {
    throw bad('it does not verify over this version of the statement');
  }
}
