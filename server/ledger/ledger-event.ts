/** Who made a change: a company acting through a member or API client, or the system itself. */
export interface Actor {
  companyId: string;
  kind: 'member' | 'client' | 'system';
  id: string;
  /** Set when the member or client acted through an agent: the face (`mcp`) it came through. */
  via?: 'mcp';
  /** With `via`: the tool the agent called. */
  tool?: string;
}

/** The actor as the ledger stores and hashes it: `via` and `tool` only when set. */
export function ledgerActor(actor: Actor): Actor {
  const { companyId, kind, id, via, tool } = actor;
  return via ? { companyId, kind, id, via, tool: tool ?? '' } : { companyId, kind, id };
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
  actor_via?: 'mcp' | null;
  actor_tool?: string | null;
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
    actor: ledgerActor({
      companyId: row.actor_company_id,
      kind: row.actor_kind,
      id: row.actor_id,
      ...(row.actor_via ? { via: row.actor_via, tool: row.actor_tool ?? '' } : {}),
    }),
    privateTo: row.private_to,
    at: row.at,
    data: JSON.parse(row.data) as unknown,
    hash: row.hash,
  };
}
