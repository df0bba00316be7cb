import { logsCaughtUp } from './log-integrator.ts';
import { originOf } from '../../shared/ledger/log-origin.ts';
import { checkpointBody } from '../../shared/ledger/signed-note.ts';
import type { Deps } from '../deps.ts';
import { checkpointAt, latestCheckpoint, type StoredCheckpoint } from './checkpoint.repository.ts';
import { rootAt } from './proof.service.ts';
import { logSize } from './tree.repository.ts';

/**
 * Signs a checkpoint of a log as it is now (after taking in every committed event), unless the
 * latest already covers it. The log's note key signs; the companies' witnesses cosign later.
 */
export async function signTreeHead(
  deps: Deps<'db' | 'writes' | 'config' | 'clock' | 'deploymentKey' | 'transparency'>,
  logId: string,
): Promise<StoredCheckpoint | undefined> {
  await logsCaughtUp(deps);
  const size = await logSize(deps.db, logId);
  const latest = await latestCheckpoint(deps.db, logId);
  if (size === 0 || (latest && latest.size >= size)) return latest;
  const root = await rootAt(deps.db, logId, size);
  const body = checkpointBody({
    origin: originOf(deps.config.publicUrl, logId),
    size,
    rootHash: root,
  });
  const note = `${body}\n${await deps.deploymentKey.signNote(deps.db, body)}`;
  await deps.writes.run((trx) =>
    trx
      .insertInto('transparency_checkpoints')
      .values({
        log_id: logId,
        size,
        root_hash: Buffer.from(root).toString('hex'),
        note,
        created_at: deps.clock.now().toISOString(),
      })
      // Two instances may sign the same size at once; either note is as good.
      .onConflict((oc) => oc.columns(['log_id', 'size']).doNothing())
      .execute(),
  );
  return checkpointAt(deps.db, logId, size);
}
