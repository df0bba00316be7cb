import { canonicalJson } from '../../shared/ledger/canonical-json.ts';
import type { Deps } from '../deps.ts';

export interface Checkpoint {
  size: number;
  headHash: string;
  at: string;
  /** Compact JWS (EdDSA, the deployment key) over the canonical `{ iss, size, head, at }`. */
  jws: string;
}

export const checkpointType = 'tandem-ledger-checkpoint+jws';

/**
 * Signs the current head of the log `(size, head hash)` unless it is already signed. A participant
 * that keeps checkpoints can later prove the log was cut short: a log shorter than a signed size,
 * or whose event at that size has another hash, has lost its tail.
 */
export async function signCheckpoint(
  deps: Deps<'db' | 'clock' | 'config' | 'deploymentKey'>,
): Promise<Checkpoint | undefined> {
  const head = await deps.db
    .selectFrom('ledger_events')
    .select(['seq', 'hash'])
    .orderBy('seq', 'desc')
    .limit(1)
    .executeTakeFirst();
  if (!head) return undefined;
  const latest = await latestCheckpoint(deps);
  if (latest && latest.size >= head.seq) return latest;
  const at = deps.clock.now().toISOString();
  const payload = canonicalJson({
    iss: deps.config.publicUrl,
    size: head.seq,
    head: head.hash,
    at,
  });
  const jws = await deps.deploymentKey.sign(deps.db, { payload, typ: checkpointType });
  const checkpoint = { size: head.seq, headHash: head.hash, at, jws };
  await deps.db
    .insertInto('ledger_checkpoints')
    .values({ size: head.seq, head_hash: head.hash, at, jws })
    .onConflict((oc) => oc.doNothing())
    .execute();
  return checkpoint;
}

export async function latestCheckpoint(deps: Deps<'db'>): Promise<Checkpoint | undefined> {
  const row = await deps.db
    .selectFrom('ledger_checkpoints')
    .selectAll()
    .orderBy('size', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row ? { size: row.size, headHash: row.head_hash, at: row.at, jws: row.jws } : undefined;
}

/** Every stored checkpoint must still match the log: same hash at its size. Returns the first that does not. */
export async function checkCheckpoints(
  deps: Deps<'db'>,
): Promise<{ size: number; reason: string } | undefined> {
  const rows = await deps.db
    .selectFrom('ledger_checkpoints')
    .select(['size', 'head_hash'])
    .orderBy('size')
    .execute();
  for (const cp of rows) {
    const event = await deps.db
      .selectFrom('ledger_events')
      .select('hash')
      .where('seq', '=', cp.size)
      .executeTakeFirst();
    if (!event)
      return {
        size: cp.size,
        reason: `a signed checkpoint covers ${cp.size} events but the log is shorter: its tail was cut off`,
      };
    if (event.hash !== cp.head_hash)
      return {
        size: cp.size,
        reason: `event ${cp.size} no longer has the hash the checkpoint signed`,
      };
  }
  return undefined;
}
