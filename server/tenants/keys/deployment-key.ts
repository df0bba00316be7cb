import crypto, { KeyObject } from 'node:crypto';
import { promisify } from 'node:util';
import { exportJWK, generateKeyPair, importJWK, type CryptoKey, type JWK } from 'jose';
import {
  noteAlg,
  signAsLog,
  verifierOf,
  type Verifier,
} from '../../../shared/ledger/signed-note.ts';
import type { Clock } from '../../core/clock.ts';
import type { Executor } from '../../store/db.ts';
import { newId } from '../../core/ids.ts';
import type { DeploymentSigner } from './deployment-signer.ts';
import type { MasterKey } from './master-key.ts';

const signOnPool = promisify(crypto.sign);

interface SigningKey {
  kid: string;
  key: CryptoKey;
  keyObject: KeyObject;
}

/**
 * The deployment's own Ed25519 key: it signs ledger checkpoints (and webhook deliveries), never a
 * company's tokens. Made on first use, encrypted at rest, published at `/.well-known/jwks.json`.
 */
export class DeploymentKey implements DeploymentSigner {
  /** A promise, so callers racing on first use share one load instead of making a key each. */
  #current: Promise<SigningKey> | undefined;

  #note: Verifier | undefined;

  constructor(
    private readonly masterKey: MasterKey,
    private readonly clock: Clock,
    /** The log's note key name, `<host>/log`: a checkpoint names the key that signed it. */
    private readonly noteName: string,
  ) {}

  #signingKey(db: Executor): Promise<SigningKey> {
    return (this.#current ??= this.#load(db).catch((error: unknown) => {
      this.#current = undefined;
      throw error;
    }));
  }

  async #load(db: Executor): Promise<SigningKey> {
    let row = await db
      .selectFrom('deployment_keys')
      .selectAll()
      .where('retired_at', 'is', null)
      .orderBy('created_at', 'desc')
      .executeTakeFirst();
    if (!row) {
      const { publicKey, privateKey } = await generateKeyPair('EdDSA', {
        crv: 'Ed25519',
        extractable: true,
      });
      const kid = newId('dep');
      row = {
        kid,
        public_jwk: JSON.stringify({
          ...(await exportJWK(publicKey)),
          kid,
          alg: 'EdDSA',
          use: 'sig',
        }),
        private_jwk_enc: this.masterKey.seal(JSON.stringify(await exportJWK(privateKey)), kid),
        created_at: this.clock.now().toISOString(),
        retired_at: null,
      };
      await db.insertInto('deployment_keys').values(row).execute();
    }
    const jwk = JSON.parse(this.masterKey.open(row.private_jwk_enc, row.kid)) as JWK;
    const key = (await importJWK(jwk, 'EdDSA')) as CryptoKey;
    return { kid: row.kid, key, keyObject: KeyObject.from(key) };
  }

  /** A compact JWS (EdDSA) over `payload`, with `typ` naming what it is. */
  async sign(db: Executor, input: { payload: string; typ: string }): Promise<string> {
    const { kid, keyObject } = await this.#signingKey(db);
    const header = Buffer.from(JSON.stringify({ alg: 'EdDSA', kid, typ: input.typ })).toString(
      'base64url',
    );
    const signingInput = `${header}.${Buffer.from(input.payload).toString('base64url')}`;
    // node:crypto's callback form signs on the libuv pool; WebCrypto's (jose) signs on the
    // event loop, which every delivery and request shares (a quarter of it when webhooks ran).
    const signature = await signOnPool(null, Buffer.from(signingInput), keyObject);
    return `${signingInput}.${signature.toString('base64url')}`;
  }

  async noteVerifier(db: Executor): Promise<Verifier> {
    if (this.#note) return this.#note;
    const { kid } = await this.#signingKey(db);
    const row = await db
      .selectFrom('deployment_keys')
      .select('public_jwk')
      .where('kid', '=', kid)
      .executeTakeFirstOrThrow();
    const { x } = JSON.parse(row.public_jwk) as { x: string };
    this.#note = verifierOf(
      this.noteName,
      noteAlg.ed25519,
      new Uint8Array(Buffer.from(x, 'base64url')),
    );
    return this.#note;
  }

  async signNote(db: Executor, body: string): Promise<string> {
    const v = await this.noteVerifier(db);
    return signAsLog(v, (await this.#signingKey(db)).key, body);
  }

  async jwks(db: Executor): Promise<{ keys: JWK[] }> {
    await this.#signingKey(db);
    const rows = await db.selectFrom('deployment_keys').select('public_jwk').execute();
    return { keys: rows.map((r) => JSON.parse(r.public_jwk) as JWK) };
  }
}
