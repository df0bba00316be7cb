import type { JWK } from 'jose';
import type { Verifier } from '../../../shared/ledger/signed-note.ts';
import type { Executor } from '../../store/db.ts';

/**
 * The deployment's own signature (ledger checkpoints, webhook deliveries), never a company's:
 * what services call, not how DeploymentKey makes and caches the key in this process.
 */
export interface DeploymentSigner {
  /** A compact JWS (EdDSA) over `payload`, with `typ` naming what it is. */
  sign(db: Executor, input: { payload: string; typ: string }): Promise<string>;
  /** The transparency log's note key (the same Ed25519 key), named `<host>/log`. */
  noteVerifier(db: Executor): Promise<Verifier>;
  /** A signed-note signature line over `body`, by the log's note key. */
  signNote(db: Executor, body: string): Promise<string>;
  /** The deployment's public keys, as `/.well-known/jwks.json` publishes them. */
  jwks(db: Executor): Promise<{ keys: JWK[] }>;
}
