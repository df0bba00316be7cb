import type { CryptoKey, JWK } from 'jose';
import type { Executor } from '../../store/db.ts';
import type { CompanyScope } from '../principal.ts';
import type { KeyPurpose, SigningKeyRow } from './signing-key.repository.ts';

export type KeyAlg = SigningKeyRow['alg'];

export interface SigningKey {
  kid: string;
  alg: KeyAlg;
  privateKey: CryptoKey;
}

/** The public view of a key, as the API lists it. */
export interface KeyInfo {
  kid: string;
  purpose: KeyPurpose;
  source: SigningKeyRow['source'];
  alg: KeyAlg;
  publicJwk: JWK;
  createdAt: string;
  retiredAt: string | null;
}

/**
 * Each company's signing and verification keys, as services use them: what they call, not how
 * KeyRing stores and caches keys in this process.
 */
export interface CompanyKeys {
  /** Makes a new managed key; it signs from now on, older keys still verify until retired. */
  rotate(db: Executor, scope: CompanyScope, purpose: KeyPurpose): Promise<KeyInfo>;
  /** Registers a company-held public key. Raises ValidationFailed. */
  registerExternal(
    db: Executor,
    scope: CompanyScope,
    input: { jwk: JWK; purpose: KeyPurpose },
  ): Promise<KeyInfo>;
  /** Retires a key: it neither signs nor verifies again. Raises NotFound, InvalidState. */
  retire(db: Executor, scope: CompanyScope, kid: string): Promise<KeyInfo>;
  list(db: Executor, scope: CompanyScope): Promise<KeyInfo[]>;
  /** The company's public JWK Set. */
  jwks(db: Executor, scope: CompanyScope): Promise<{ keys: JWK[] }>;
  /** The key this company signs with now. Raises InvalidState when it has none. */
  signingKey(db: Executor, scope: CompanyScope, purpose: KeyPurpose): Promise<SigningKey>;
  /** An unretired key of this company by kid, to verify with; undefined for anything else. */
  verificationKey(
    db: Executor,
    scope: CompanyScope,
    kid: string,
  ): Promise<{ alg: KeyAlg; key: CryptoKey; purpose: KeyPurpose } | undefined>;
}
