import { CompactSign, exportJWK, generateKeyPair, importJWK, type CryptoKey, type JWK } from 'jose';
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

  constructor(
    private readonly masterKey: MasterKey,
    private readonly clock: Clock,
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

  async jwks(db: Executor): Promise<{ keys: JWK[] }> {
    await this.#signingKey(db);
    const rows = await db.selectFrom('deployment_keys').select('public_jwk').execute();
    return { keys: rows.map((r) => JSON.parse(r.public_jwk) as JWK) };
  }
}
