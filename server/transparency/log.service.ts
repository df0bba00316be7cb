import { logsCaughtUp } from './log-integrator.ts';
import { companiesOf, logIdOf, originOf } from '../../shared/ledger/log-origin.ts';
import { encodeVkey } from '../../shared/ledger/signed-note.ts';
import { notFound } from '../core/domain-error.ts';
import type { Deps } from '../deps.ts';
import {
  findPartnership,
  listPartnerships,
} from '../tenants/partnerships/partnership.repository.ts';
import type { CompanyScope } from '../tenants/principal.ts';
import {
  jointCheckpoint,
  latestCheckpoint,
  type StoredCheckpoint,
} from './checkpoint.repository.ts';
import { base64, consistencyBetween, inclusionAt } from './proof.service.ts';
import { signTreeHead } from './tree-head.service.ts';
import { logSize } from './tree.repository.ts';

type LogDeps = Deps<'db' | 'config'>;

/** The log of a partnership the caller is a side of; any other is not found. */
export async function logOf(deps: Deps<'db'>, scope: CompanyScope, partnershipId: string) {
  const p = await findPartnership(deps.db, scope, partnershipId);
  if (!p) throw notFound('partnership');
  return logIdOf(p.inviter_id, p.invitee_id);
}

export function checkpointView(deps: Deps<'config'>, cp: StoredCheckpoint | undefined) {
  if (!cp) return null;
  const [a, b] = companiesOf(cp.logId);
  return {
    origin: originOf(deps.config.publicUrl, cp.logId),
    size: cp.size,
    note: cp.note,
    cosigned: cp.cosigned,
    joint: Boolean(cp.cosigned[a] && cp.cosigned[b]),
  };
}

export async function logKey(deps: Deps<'db' | 'deploymentKey'>) {
  return { vkey: encodeVkey(await deps.deploymentKey.noteVerifier(deps.db)) };
}

/** The caller's partnership logs (one per partner company), with their latest checkpoints. */
export async function listLogs(deps: LogDeps & Deps<'transparency'>, scope: CompanyScope) {
  await logsCaughtUp(deps);
  const seen = new Set<string>();
  const out = [];
  for (const p of await listPartnerships(deps.db, scope)) {
    const logId = logIdOf(p.inviter_id, p.invitee_id);
    if (seen.has(logId)) continue;
    seen.add(logId);
    out.push({
      partnershipId: p.id,
      partnerId: p.inviter_id === scope.companyId ? p.invitee_id : p.inviter_id,
      origin: originOf(deps.config.publicUrl, logId),
      size: await logSize(deps.db, logId),
      latest: checkpointView(deps, await latestCheckpoint(deps.db, logId)),
      latestJoint: checkpointView(deps, await jointCheckpoint(deps.db, logId)),
    });
  }
  return out;
}

/** What a witness asks for: a checkpoint of the log now, and the consistency proof from `since`. */
export async function witnessCheckpoint(
  deps: Parameters<typeof signTreeHead>[0],
  scope: CompanyScope,
  input: { partnershipId: string; since?: number },
) {
  const logId = await logOf(deps, scope, input.partnershipId);
  const cp = await signTreeHead(deps, logId);
  const since = input.since ?? 0;
  const consistency =
    cp && since > 0 && since <= cp.size
      ? (await consistencyBetween(deps.db, logId, since, cp.size)).map(base64)
      : [];
  return { checkpoint: checkpointView(deps, cp), consistency };
}

export async function inclusionProofOf(
  deps: Deps<'db'>,
  scope: CompanyScope,
  input: { partnershipId: string; index: number; size: number },
) {
  const logId = await logOf(deps, scope, input.partnershipId);
  if (input.index >= input.size || input.size > (await logSize(deps.db, logId)))
    throw notFound('leaf at that size');
  const [proof] = await inclusionAt(deps.db, logId, [input.index], input.size);
  return { proof: proof!.map(base64) };
}

export async function consistencyProofOf(
  deps: Deps<'db'>,
  scope: CompanyScope,
  input: { partnershipId: string; from: number; to: number },
) {
  const logId = await logOf(deps, scope, input.partnershipId);
  if (input.from > input.to || input.to > (await logSize(deps.db, logId)))
    throw notFound('tree of that size');
  return { proof: (await consistencyBetween(deps.db, logId, input.from, input.to)).map(base64) };
}
