import { canonicalJson } from '../../shared/ledger/canonical-json.ts';
import type { Executor } from '../store/db.ts';
import { ledgerActor, type LedgerEvent, type NewEvent } from './ledger-event.ts';
import { eventHash, genesisHash } from './ledger-hash.ts';
import { dealHead, insertEvent, logHead } from './ledger.repository.ts';

const headKey = 'ledger.head';

interface Head {
  seq: number;
  hash: string;
}

/**
 * Appends events inside one open transaction. It reads each chain head once and then carries it,
 * so a batch of a thousand changes costs a thousand inserts, not three thousand queries.
 * Use one writer per transaction and drop it with the transaction.
 */
export class LedgerWriter {
  #global: Head | undefined;
  readonly #deals = new Map<string, Head>();

  /**
   * `group`: what the writes of one group transaction share (WriteHooks.group). The log's head
   * is kept there, so only a group's first write reads it: the group holds the store's write
   * lock, so no one else moves the head, and a rolled-back write's head is put back.
   */
  constructor(
    private readonly trx: Executor,
    private readonly at: string,
    private readonly group?: Map<string, unknown>,
  ) {
    this.#global = group?.get(headKey) as Head | undefined;
  }

  async append(event: NewEvent): Promise<LedgerEvent> {
    const { dealId } = event;
    if (!this.#global) {
      const last = await logHead(this.trx);
      this.#global = last ? { seq: last.seq, hash: last.hash } : { seq: 0, hash: genesisHash };
    }
    if (dealId && !this.#deals.has(dealId)) {
      // A deal's first event starts its chain: there is nothing to look up.
      const last =
        event.type === 'opportunity.created' ? undefined : await dealHead(this.trx, dealId);
      this.#deals.set(
        dealId,
        last ? { seq: last.deal_seq ?? 0, hash: last.hash } : { seq: 0, hash: genesisHash },
      );
    }
    const chain = dealId ? this.#deals.get(dealId) : undefined;
    const fields = {
      seq: this.#global.seq + 1,
      dealId,
      dealSeq: chain ? chain.seq + 1 : null,
      type: event.type,
      actor: ledgerActor(event.actor),
      privateTo: event.privateTo ?? null,
      at: this.at,
      data: event.data,
      prevHash: this.#global.hash,
      dealPrevHash: chain ? chain.hash : null,
    };
    const data = canonicalJson(fields.data);
    const hash = eventHash(fields, data);
    await insertEvent(this.trx, {
      seq: fields.seq,
      deal_id: fields.dealId,
      deal_seq: fields.dealSeq,
      type: fields.type,
      actor_company_id: fields.actor.companyId,
      actor_kind: fields.actor.kind,
      actor_id: fields.actor.id,
      actor_via: fields.actor.via ?? null,
      actor_tool: fields.actor.via ? (fields.actor.tool ?? null) : null,
      private_to: fields.privateTo,
      at: fields.at,
      data,
      prev_hash: fields.prevHash,
      deal_prev_hash: fields.dealPrevHash,
      hash,
    });
    this.#global = { seq: fields.seq, hash };
    this.group?.set(headKey, this.#global);
    if (dealId && chain) this.#deals.set(dealId, { seq: fields.dealSeq!, hash });
    return {
      seq: fields.seq,
      dealId,
      dealSeq: fields.dealSeq,
      type: fields.type,
      actor: fields.actor,
      privateTo: fields.privateTo,
      at: fields.at,
      data: fields.data,
      hash,
    };
  }
}
