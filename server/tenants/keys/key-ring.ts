import { exportJWK, generateKeyPair, importJWK, type CryptoKey, type JWK } from 'jose';
import type { Clock } from '../../core/clock.ts';
import type { Executor } from '../../store/db.ts';
import { DomainError, notFound } from '../../core/domain-error.ts';
import { newId } from '../../core/ids.ts';
import type { CompanyScope } from '../principal.ts';
import type { MasterKey } from './master-key.ts';
import type { CompanyKeys, KeyAlg, KeyInfo, SigningKey } from './company-keys.ts';
import {
  currentManagedKey,
  findKey,
  insertKey,
  listKeys,
  retireKey,
  type KeyPurpose,
  type SigningKeyRow,
} from './signing-key.repository.ts';

function toInfo(row: SigningKeyRow): KeyInfo {
  return {
    kid: row.kid,
    purpose: row.purpose,
    source: row.source,
    alg: row.alg,
    publicJwk: JSON.parse(row.public_jwk) as JWK,
    createdAt: row.created_at,
    retiredAt: row.retired_at,
  };
}

/**
 * Each company's keys: the server-held (managed) Ed25519 keys it signs access tokens and
 * attestations with, and external public keys it registers for its own backend.
 * Private keys are decrypted only to sign and cached in memory, never logged or returned.
 */
export class KeyRing implements CompanyKeys {
  readonly #privateKeys = new Map<string, CryptoKey>();
  readonly #publicKeys = new Map<string, CryptoKey>();

  constructor(
    private readonly masterKey: MasterKey,
    private readonly clock: Clock,
    /** Called when a key stops verifying, so verified-token caches forget what it signed. */
    private readonly onRetire: () => void = () => undefined,
  ) {}

  /** Makes a new managed key; it signs from now on, older keys still verify until retired. */
  async rotate(db: Executor, scope: CompanyScope, purpose: KeyPurpose): Promise<KeyInfo> {
    const { publicKey, privateKey } = await generateKeyPair('EdDSA', {
      crv: 'Ed25519',
      extractable: true,
    });
    const kid = newId('key');
    const publicJwk = { ...(await exportJWK(publicKey)), kid, alg: 'EdDSA', use: 'sig' };
    const sealed = this.masterKey.seal(JSON.stringify(await exportJWK(privateKey)), kid);
    const row: SigningKeyRow = {
      kid,
      company_id: scope.companyId,
      purpose,
      source: 'managed',
      alg: 'EdDSA',
      public_jwk: JSON.stringify(publicJwk),
      private_jwk_enc: sealed,
      created_at: this.clock.now().toISOString(),
      retired_at: null,
    };
    await insertKey(db, row);
    return toInfo(row);
  }

  /**
   * Registers a company-held public key (Ed25519 for EdDSA or P-256 for ES256) so its backend
   * can mint access tokens; the server assigns the kid those tokens must carry.
   * Raises ValidationFailed for private material or an unsupported key type.
   */
  async registerExternal(
    db: Executor,
    scope: CompanyScope,
    input: { jwk: JWK; purpose: KeyPurpose },
  ): Promise<KeyInfo> {
    const { jwk } = input;
    if ('d' in jwk)
      throw new DomainError('ValidationFailed', 'send only the public key', [
        { path: 'jwk.d', message: 'private key material is not accepted' },
      ]);
    const alg: KeyAlg | undefined =
      jwk.kty === 'OKP' && jwk.crv === 'Ed25519'
        ? 'EdDSA'
        : jwk.kty === 'EC' && jwk.crv === 'P-256'
          ? 'ES256'
          : undefined;
    if (!alg) {
      throw new DomainError('ValidationFailed', 'unsupported key type', [
        { path: 'jwk.kty', message: 'expected an OKP Ed25519 or EC P-256 public key' },
      ]);
    }
    try {
      await importJWK(jwk, alg);
    } catch {
      throw new DomainError('ValidationFailed', 'the key does not parse', [
        { path: 'jwk', message: 'not a valid public JWK' },
      ]);
    }
    const kid = newId('key');
    const { kty, crv, x, y } = jwk;
    const publicJwk = { kty, crv, x, ...(y ? { y } : {}), kid, alg, use: 'sig' };
    const row: SigningKeyRow = {
      kid,
      company_id: scope.companyId,
      purpose: input.purpose,
      source: 'external',
      alg,
      public_jwk: JSON.stringify(publicJwk),
      private_jwk_enc: null,
      created_at: this.clock.now().toISOString(),
      retired_at: null,
    };
    await insertKey(db, row);
    return toInfo(row);
  }

  /** Retires a key: it neither signs nor verifies access tokens again. Raises NotFound, InvalidState. */
  async retire(db: Executor, scope: CompanyScope, kid: string): Promise<KeyInfo> {
    const row = await findKey(db, scope, kid);
    if (!row) throw notFound('key');
    if (row.retired_at) throw new DomainError('InvalidState', 'the key is already retired');
    const current =
      row.source === 'managed' ? await currentManagedKey(db, scope, row.purpose) : undefined;
    if (current?.kid === kid) {
      throw new DomainError(
        'InvalidState',
        `this is the current ${row.purpose} key; rotate to a new key first, then retire this one`,
      );
    }
    await retireKey(db, scope, kid, this.clock.now().toISOString());
    this.#publicKeys.delete(kid);
    this.onRetire();
    this.#privateKeys.delete(kid);
    return toInfo({ ...row, retired_at: this.clock.now().toISOString() });
  }

  async list(db: Executor, scope: CompanyScope): Promise<KeyInfo[]> {
    return (await listKeys(db, scope)).map(toInfo);
  }

  /**
   * The company's public JWK Set: access keys that still verify, and every attestation key,
   * since a signature sealed with a since-retired key must still verify offline.
   */
  async jwks(db: Executor, scope: CompanyScope): Promise<{ keys: JWK[] }> {
    const rows = await listKeys(db, scope);
    const published = rows.filter((r) => r.purpose === 'attestation' || r.retired_at === null);
    return { keys: published.map((r) => JSON.parse(r.public_jwk) as JWK) };
  }

  /** The key this company signs with now. Raises InvalidState when it has none. */
  async signingKey(db: Executor, scope: CompanyScope, purpose: KeyPurpose): Promise<SigningKey> {
    const row = await currentManagedKey(db, scope, purpose);
    if (!row?.private_jwk_enc)
      throw new DomainError(
        'InvalidState',
        `the company has no ${purpose} signing key; rotate one in`,
      );
    let privateKey = this.#privateKeys.get(row.kid);
    if (!privateKey) {
      const jwk = JSON.parse(this.masterKey.open(row.private_jwk_enc, row.kid)) as JWK;
      privateKey = (await importJWK(jwk, row.alg)) as CryptoKey;
      this.#privateKeys.set(row.kid, privateKey);
    }
    return { kid: row.kid, alg: row.alg, privateKey };
  }

  /** An unretired key of this company by kid, to verify with; undefined for anything else. */
  async verificationKey(
    db: Executor,
    scope: CompanyScope,
    kid: string,
  ): Promise<{ alg: KeyAlg; key: CryptoKey; purpose: KeyPurpose } | undefined> {
    const row = await findKey(db, scope, kid);
    if (!row || row.retired_at) return undefined;
    let key = this.#publicKeys.get(kid);
    if (!key) {
      key = (await importJWK(JSON.parse(row.public_jwk) as JWK, row.alg)) as CryptoKey;
      this.#publicKeys.set(kid, key);
    }
    return { alg: row.alg, key, purpose: row.purpose };
  }
}
