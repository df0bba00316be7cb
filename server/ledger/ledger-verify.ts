import type { Executor } from '../store/db.ts';
import { rowToEvent } from './ledger-event.ts';
import { eventHash, genesisHash } from './ledger-hash.ts';
import { eventsAfter, type LedgerEventRow } from './ledger.repository.ts';

export interface VerifyResult {
  ok: boolean;
  events: number;
  headHash: string;
  /** The first broken link: the event whose stored data no longer matches the chain. */
  broken?: { seq: number; dealId: string | null; reason: string };
}

function rowHash(row: LedgerEventRow): string {
  const { seq, dealId, dealSeq, type, actor, privateTo, at, data } = rowToEvent(row);
  return eventHash({
    seq,
    dealId,
    dealSeq,
    type,
    actor,
    privateTo,
    at,
    data,
    prevHash: row.prev_hash,
    dealPrevHash: row.deal_prev_hash,
  });
}

/**
 * Walks the whole log in order and names the first event where the chain breaks: a recomputed hash
 * that differs from the stored one (the row was edited), or a back-link that does not point at the
 * event before it (a row was deleted, inserted or moved). Reads in pages; memory stays flat.
 */
export async function verifyLedger(db: Executor): Promise<VerifyResult> {
  let prev = { seq: 0, hash: genesisHash };
  const dealHeads = new Map<string, { seq: number; hash: string }>();
  let count = 0;
  for (;;) {
    const page = await eventsAfter(db, prev.seq, 1000);
    if (page.length === 0) return { ok: true, events: count, headHash: prev.hash };
    for (const row of page) {
      const fail = (reason: string): VerifyResult => ({
        ok: false,
        events: count,
        headHash: prev.hash,
        broken: { seq: row.seq, dealId: row.deal_id, reason },
      });
      if (row.seq !== prev.seq + 1)
        return fail(
          `expected event ${prev.seq + 1} next, found ${row.seq}: events were deleted or inserted`,
        );
      if (row.prev_hash !== prev.hash)
        return fail(
          'its link to the previous event does not match: an earlier event was changed or removed',
        );
      if (row.deal_id) {
        const dealHead = dealHeads.get(row.deal_id) ?? { seq: 0, hash: genesisHash };
        if (row.deal_seq !== dealHead.seq + 1 || row.deal_prev_hash !== dealHead.hash) {
          return fail(`its link to the previous event of deal ${row.deal_id} does not match`);
        }
      }
      let recomputed: string;
      try {
        recomputed = rowHash(row);
      } catch {
        return fail('its data is not valid JSON');
      }
      if (recomputed !== row.hash)
        return fail('its content does not match its hash: the row was edited');
      prev = { seq: row.seq, hash: row.hash };
      if (row.deal_id) dealHeads.set(row.deal_id, { seq: row.deal_seq!, hash: row.hash });
      count++;
    }
  }
}
