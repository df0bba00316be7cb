import { CompactSign, exportJWK, generateKeyPair, importJWK, type CryptoKey, type JWK } from 'jose';
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

/**
 * The deployment's own Ed25519 key: it signs ledger checkpoints (and webhook deliveries), never a
 * company's tokens. Made on first use, encrypted at rest, published at `/.well-known/jwks.json`.
 */
export class DeploymentKey implements DeploymentSigner {
  #current: { kid: string; key: CryptoKey } | undefined;

  #note: Verifier | undefined;

  constructor(
    private readonly masterKey: MasterKey,
    private readonly clock: Clock,
    /** The log's note key name, `<host>/log`: a checkpoint names the key that signed it. */
    private readonly noteName: string,
  ) {}

  async #signingKey(db: Executor): Promise<{ kid: string; key: CryptoKey }> {
    if (this.#current) return this.#current;
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
    this.#current = { kid: row.kid, key: (await importJWK(jwk, 'EdDSA')) as CryptoKey };
    return this.#current;
  }

  /** A compact JWS (EdDSA) over `payload`, with `typ` naming what it is. */
  async sign(db: Executor, input: { payload: string; typ: string }): Promise<string> {
    const { kid, key } = await this.#signingKey(db);
    return new CompactSign(new TextEncoder().encode(input.payload))
      .setProtectedHeader({ alg: 'EdDSA', kid, typ: input.typ })
      .sign(key);
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
