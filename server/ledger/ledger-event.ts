/** Who made a change: a company acting through a member or API client, or the system itself. */
export interface Actor {
  companyId: string;
  kind: 'member' | 'client' | 'system';
  id: string;
}

export interface NewEvent {
  dealId: string | null;
  type: string;
  actor: Actor;
  /** The company whose private data the event carries; only it may read the event. */
  privateTo?: string | null;
  data: unknown;
}

export interface LedgerEvent {
  seq: number;
  dealId: string | null;
  dealSeq: number | null;
  type: string;
  actor: Actor;
  privateTo: string | null;
  at: string;
  data: unknown;
  hash: string;
}

/** A stored row as an event (its data parsed). */
export function rowToEvent(row: {
  seq: number;
  deal_id: string | null;
  deal_seq: number | null;
  type: string;
  actor_company_id: string;
  actor_kind: Actor['kind'];
  actor_id: string;
  private_to: string | null;
  at: string;
  data: string;
  hash: string;
}): LedgerEvent {
  return {
    seq: row.seq,
    dealId: row.deal_id,
    dealSeq: row.deal_seq,
    type: row.type,
    actor: { companyId: row.actor_company_id, kind: row.actor_kind, id: row.actor_id },
    privateTo: row.private_to,
    at: row.at,
    data: JSON.parse(row.data) as unknown,
    hash: row.hash,
  };
}
