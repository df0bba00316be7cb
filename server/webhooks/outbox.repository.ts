import { sql } from 'kysely';
import type { Executor } from '../store/db.ts';
import type { LedgerEventRow } from '../ledger/ledger.repository.ts';
import type { DeliveryRow, EndpointRow } from './webhook.repository.ts';

// The delivery worker's queries. It acts for the deployment, across companies, so these are not
// scoped by company; what each company may receive is decided by the change feed alone.

export async function activeEndpoints(db: Executor): Promise<EndpointRow[]> {
  return db.selectFrom('webhook_endpoints').selectAll().where('status', '=', 'active').execute();
}

export async function ledgerHead(db: Executor): Promise<number> {
  const row = await db
    .selectFrom('ledger_events')
    .select('seq')
    .orderBy('seq', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row?.seq ?? 0;
}

export async function endpointById(db: Executor, id: string): Promise<EndpointRow | undefined> {
  return db.selectFrom('webhook_endpoints').selectAll().where('id', '=', id).executeTakeFirst();
}

/**
 * Queues deliveries. An event queued before (a replay) goes back to pending with a fresh retry
 * window; its attempt count carries on, so the log shows every try.
 */
export async function queueDeliveries(
  db: Executor,
  rows: { endpointId: string; seq: number; lane: string; type: string; at: string }[],
): Promise<void> {
  for (let i = 0; i < rows.length; i += 100) {
    await db
      .insertInto('webhook_deliveries')
      .values(
        rows.slice(i, i + 100).map((r) => ({
          endpoint_id: r.endpointId,
          seq: r.seq,
          lane: r.lane,
          type: r.type,
          status: 'pending' as const,
          attempts: 0,
          first_attempt_at: null,
          next_attempt_at: r.at,
          created_at: r.at,
        })),
      )
      .onConflict((oc) =>
        oc.columns(['endpoint_id', 'seq']).doUpdateSet((eb) => ({
          status: 'pending',
          first_attempt_at: null,
          next_attempt_at: eb.ref('excluded.next_attempt_at'),
        })),
      )
      .execute();
  }
}

export async function setCursor(
  db: Executor,
  input: { endpointId: string; cursor: number },
): Promise<void> {
  await db
    .updateTable('webhook_endpoints')
    .set({ cursor: input.cursor })
    .where('id', '=', input.endpointId)
    .execute();
}

/**
 * The deliveries that may go out now: the oldest pending delivery of each lane (so one deal's
 * events leave in order), if it is due.
 */
export async function dueLaneHeads(
  db: Executor,
  input: { endpointId: string; now: string; limit: number },
): Promise<DeliveryRow[]> {
  return db
    .selectFrom('webhook_deliveries as d')
    .selectAll('d')
    .where('d.endpoint_id', '=', input.endpointId)
    .where('d.status', '=', 'pending')
    .where('d.next_attempt_at', '<=', input.now)
    .where(
      'd.seq',
      '=',
      sql<number>`(select min(x.seq) from webhook_deliveries x where x.endpoint_id = d.endpoint_id and x.status = 'pending' and x.lane = d.lane)`,
    )
    .orderBy('d.seq')
    .limit(input.limit)
    .execute();
}

/** When the next pending delivery of an active endpoint falls due, if any is waiting. */
export async function nextDueAt(db: Executor): Promise<string | undefined> {
  const row = await db
    .selectFrom('webhook_deliveries as d')
    .innerJoin('webhook_endpoints as e', 'e.id', 'd.endpoint_id')
    .select((eb) => eb.fn.min('d.next_attempt_at').as('at'))
    .where('e.status', '=', 'active')
    .where('d.status', '=', 'pending')
    .executeTakeFirst();
  return row?.at ?? undefined;
}

/** One attempt's outcome, as the delivery row keeps it. */
export interface AttemptRecord {
  endpointId: string;
  seq: number;
  status: DeliveryRow['status'];
  attempts: number;
  at: string;
  firstAttemptAt: string;
  nextAttemptAt: string;
  statusCode: number | null;
  latencyMs: number;
  error: string | null;
}

/**
 * Records attempts, one statement per 200: an UPDATE from a VALUES list (both stores name its
 * columns column1…), each value cast so PostgreSQL knows its type.
 */
export async function recordAttempts(db: Executor, records: AttemptRecord[]): Promise<void> {
  for (let i = 0; i < records.length; i += 200) {
    const values = records
      .slice(i, i + 200)
      .map(
        (r) =>
          sql`(${r.endpointId}, cast(${r.seq} as bigint), ${r.status}, cast(${r.attempts} as integer), ${r.firstAttemptAt}, ${r.at}, ${r.nextAttemptAt}, cast(${r.statusCode} as integer), cast(${r.latencyMs} as integer), cast(${r.error} as text))`,
      );
    await sql`
      update webhook_deliveries set
        status = v.column3,
        attempts = v.column4,
        first_attempt_at = v.column5,
        last_attempt_at = v.column6,
        next_attempt_at = v.column7,
        last_status_code = v.column8,
        last_latency_ms = v.column9,
        last_error = v.column10,
        delivered_at = case when v.column3 = 'delivered' then v.column6
                       else webhook_deliveries.delivered_at end
      from (values ${sql.join(values)}) as v
      where webhook_deliveries.endpoint_id = v.column1 and webhook_deliveries.seq = v.column2`.execute(
      db,
    );
  }
}

/** The ledger rows of `seqs`, in any order. */
export async function eventsBySeq(db: Executor, seqs: number[]): Promise<LedgerEventRow[]> {
  if (seqs.length === 0) return [];
  return db.selectFrom('ledger_events').selectAll().where('seq', 'in', seqs).execute();
}

/** Gives up on an endpoint: nothing more is sent to it until the company resumes it. */
export async function markFailing(
  db: Executor,
  input: { endpointId: string; reason: string; at: string },
): Promise<void> {
  await db
    .updateTable('webhook_endpoints')
    .set({ status: 'failing', failure_reason: input.reason, updated_at: input.at })
    .where('id', '=', input.endpointId)
    .where('status', '=', 'active')
    .execute();
}
