import type { Inclusion } from '../../shared/ledger/log-entry.ts';
import { logIdOf, originOf } from '../../shared/ledger/log-origin.ts';
import { encodeVkey } from '../../shared/ledger/signed-note.ts';
import type { Deps } from '../deps.ts';
import { listPartnerships } from '../tenants/partnerships/partnership.repository.ts';
import { jointCheckpoint, type StoredCheckpoint } from './checkpoint.repository.ts';
import { entryOf } from './log-integrator.ts';
import { base64, inclusionAt } from './proof.service.ts';

/**
 * The transparency part of a finance export: each partnership log's latest checkpoint that both
 * companies cosigned, and for each record the inclusion proof of its sealing in the log of the
 * exporter and each other party. A record sealed after that checkpoint gets no proof (the verifier
 * says so): the witnesses have not vouched for it yet.
 */
export async function exportProofs(
  deps: Deps<'db' | 'config' | 'deploymentKey'>,
  exporterId: string,
) {
  // No catching up here: an export only reads. Whatever a joint checkpoint covers is in the logs
  // already, and a record sealed after it gets no proof either way.
  const joint = new Map<string, StoredCheckpoint>();
  for (const p of await listPartnerships(deps.db, { companyId: exporterId })) {
    const logId = logIdOf(p.inviter_id, p.invitee_id);
    const cp = joint.has(logId) ? undefined : await jointCheckpoint(deps.db, logId);
    if (cp) joint.set(logId, cp);
  }
  const header = {
    logKey: encodeVkey(await deps.deploymentKey.noteVerifier(deps.db)),
    checkpoints: Object.fromEntries(
      [...joint.values()].map((cp) => [originOf(deps.config.publicUrl, cp.logId), cp.note]),
    ),
  };

  /** Inclusion proofs for one page of records, by attribution version id. */
  async function forPage(
    records: { versionId: string; dealId: string; parties: string[] }[],
  ): Promise<Map<string, Inclusion[]>> {
    const out = new Map<string, Inclusion[]>();
    if (records.length === 0) return out;
    const sealed = await deps.db
      .selectFrom('ledger_events')
      .selectAll()
      .where('type', '=', 'attribution.sealed')
      .where('deal_id', 'in', [...new Set(records.map((r) => r.dealId))])
      .execute();
    const eventOf = new Map(
      sealed.map((e) => [(JSON.parse(e.data) as { versionId: string }).versionId, e]),
    );
    const seqs = sealed.map((e) => e.seq);
    const leaves =
      seqs.length === 0
        ? []
        : await deps.db
            .selectFrom('transparency_leaves')
            .selectAll()
            .where('event_seq', 'in', seqs)
            .execute();
    const leafOf = new Map(leaves.map((l) => [`${l.log_id}|${l.event_seq}`, l.idx]));
    // Gathered per log so each log's proofs come from one fetch of its nodes.
    const wanted = new Map<string, { versionId: string; idx: number; entry: string }[]>();
    for (const r of records) {
      const event = eventOf.get(r.versionId);
      if (!event) continue;
      for (const party of r.parties) {
        if (party === exporterId) continue;
        const logId = logIdOf(exporterId, party);
        const idx = leafOf.get(`${logId}|${event.seq}`);
        const cp = joint.get(logId);
        if (idx === undefined || !cp || idx >= cp.size) continue;
        const list = wanted.get(logId) ?? [];
        list.push({ versionId: r.versionId, idx, entry: entryOf(event) });
        wanted.set(logId, list);
      }
    }
    for (const [logId, list] of wanted) {
      const size = joint.get(logId)!.size;
      const paths = await inclusionAt(
        deps.db,
        logId,
        list.map((w) => w.idx),
        size,
      );
      list.forEach((w, i) => {
        const inclusions = out.get(w.versionId) ?? [];
        inclusions.push({
          origin: originOf(deps.config.publicUrl, logId),
          leafIndex: w.idx,
          treeSize: size,
          entry: w.entry,
          path: paths[i]!.map(base64),
        });
        out.set(w.versionId, inclusions);
      });
    }
    return out;
  }

  return { header, forPage };
}
