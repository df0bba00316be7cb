import type { Transaction } from 'kysely';
import { logEntryText } from '../../shared/ledger/log-entry.ts';
import { logIdOf } from '../../shared/ledger/log-origin.ts';
import { leafHash, nodeHash, type Hash } from '../../shared/ledger/merkle.ts';
import type { Database } from '../../schema/database.ts';
import type { Deps } from '../deps.ts';
import { ledgerActor } from '../ledger/ledger-event.ts';
import type { LedgerEventRow } from '../ledger/ledger.repository.ts';
import { logSizes, rightEdge, type NodeKey } from './tree.repository.ts';

const batchSize = 2000;
const partyTypes = [
  'opportunity.created',
  'participant.invited',
  'participant.declined',
  'participant.removed',
];

/**
 * Takes ledger events into the partnership logs, in ledger order, after they commit: a deal's
 * event goes into the log of every pair of companies that are parties to the deal when it
 * happens (the originator, and each company invited and not since gone). Parties come from the
 * deal's own events, so the logs are a function of the ledger alone, whenever this runs. Private
 * events and events of no deal go into no log. Off the write path: a write pays nothing for it.
 */
export async function integrateBatch(trx: Transaction<Database>): Promise<number> {
  const cursor = await trx
    .selectFrom('transparency_cursor')
    .select('event_seq')
    .where('id', '=', 'ledger')
    .executeTakeFirst();
  const after = cursor?.event_seq ?? 0;
  const events = await trx
    .selectFrom('ledger_events')
    .selectAll()
    .where('seq', '>', after)
    .orderBy('seq')
    .limit(batchSize)
    .execute();
  if (events.length === 0) return 0;
  const last = events[events.length - 1]!.seq;

  const dealIds = [...new Set(events.filter((e) => e.deal_id).map((e) => e.deal_id!))];
  const partyEvents =
    dealIds.length === 0
      ? []
      : await trx
          .selectFrom('ledger_events')
          .select(['seq', 'deal_id', 'type', 'data'])
          .where('deal_id', 'in', dealIds)
          .where('type', 'in', partyTypes)
          .where('seq', '<', events[0]!.seq)
          .orderBy('seq')
          .execute();
  const parties = new Map<string, Set<string>>();
  for (const e of partyEvents) applyParty(parties, e);

  const appends: { logId: string; seq: number; leaf: Hash }[] = [];
  for (const e of events) {
    if (!e.deal_id || e.private_to) {
      continue;
    }
    const before = new Set(parties.get(e.deal_id) ?? []);
    applyParty(parties, e);
    const after = parties.get(e.deal_id) ?? new Set();
    // A company that leaves saw the event that says so; one that joins sees its invitation.
    const seeing = [...new Set([...before, ...after])];
    if (seeing.length < 2) continue;
    const leaf = leafHash(entryOf(e));
    for (let i = 0; i < seeing.length; i++)
      for (let j = i + 1; j < seeing.length; j++)
        appends.push({ logId: logIdOf(seeing[i]!, seeing[j]!), seq: e.seq, leaf });
  }
  await appendLeaves(trx, appends);
  await trx
    .insertInto('transparency_cursor')
    .values({ id: 'ledger', event_seq: last })
    .onConflict((oc) => oc.column('id').doUpdateSet({ event_seq: last }))
    .execute();
  return events.length;
}

function applyParty(
  parties: Map<string, Set<string>>,
  e: Pick<LedgerEventRow, 'deal_id' | 'type' | 'data'>,
): void {
  if (!partyTypes.includes(e.type) || !e.deal_id) return;
  const data = JSON.parse(e.data) as { originatorId?: string; companyId?: string };
  const set = parties.get(e.deal_id) ?? new Set<string>();
  parties.set(e.deal_id, set);
  if (e.type === 'opportunity.created' && data.originatorId) set.add(data.originatorId);
  else if (e.type === 'participant.invited' && data.companyId) set.add(data.companyId);
  else if (data.companyId) set.delete(data.companyId);
}

export function entryOf(e: LedgerEventRow): string {
  return logEntryText(
    {
      dealId: e.deal_id!,
      dealSeq: e.deal_seq!,
      type: e.type,
      actor: ledgerActor({
        companyId: e.actor_company_id,
        kind: e.actor_kind,
        id: e.actor_id,
        ...(e.actor_via ? { via: e.actor_via, tool: e.actor_tool ?? '' } : {}),
      }),
      at: e.at,
    },
    e.data,
  );
}

/**
 * Appends leaves to their logs and stores every perfect subtree each append completes: leaf i
 * completes one node per trailing one-bit of i, each the hash of the last node completed at that
 * level and the new one.
 */
async function appendLeaves(
  trx: Transaction<Database>,
  appends: { logId: string; seq: number; leaf: Hash }[],
): Promise<void> {
  if (appends.length === 0) return;
  const logIds = [...new Set(appends.map((a) => a.logId))];
  const sizes = await logSizes(trx, logIds);
  const edges = new Map<string, Map<number, NodeKey & { hash: Hash }>>();
  for (const logId of logIds) {
    const edge = await rightEdge(trx, logId, sizes.get(logId) ?? 0);
    edges.set(logId, new Map(edge.map((n) => [n.level, n])));
  }
  const leaves: Database['transparency_leaves'][] = [];
  const nodes: Database['transparency_nodes'][] = [];
  for (const a of appends) {
    const idx = sizes.get(a.logId) ?? 0;
    sizes.set(a.logId, idx + 1);
    const lastAt = edges.get(a.logId)!;
    leaves.push({ log_id: a.logId, idx, event_seq: a.seq });
    let node = { level: 0, idx, hash: a.leaf };
    for (;;) {
      nodes.push({ log_id: a.logId, level: node.level, idx: node.idx, hash: hex(node.hash) });
      const left = lastAt.get(node.level);
      lastAt.set(node.level, node);
      if (node.idx % 2 === 0) break;
      node = {
        level: node.level + 1,
        idx: (node.idx - 1) / 2,
        hash: nodeHash(left!.hash, node.hash),
      };
    }
  }
  for (let i = 0; i < leaves.length; i += 500)
    await trx
      .insertInto('transparency_leaves')
      .values(leaves.slice(i, i + 500))
      .execute();
  for (let i = 0; i < nodes.length; i += 500)
    await trx
      .insertInto('transparency_nodes')
      .values(nodes.slice(i, i + 500))
      .execute();
}

/** Whether the ledger holds events the logs have not taken in. */
async function behind(db: Deps<'db'>['db']): Promise<boolean> {
  const row = await db
    .selectFrom('ledger_events')
    .select((eb) => eb.fn.max('seq').as('last'))
    .executeTakeFirst();
  const cursor = await db
    .selectFrom('transparency_cursor')
    .select('event_seq')
    .where('id', '=', 'ledger')
    .executeTakeFirst();
  return Number(row?.last ?? 0) > (cursor?.event_seq ?? 0);
}

function hex(h: Hash): string {
  return Buffer.from(h).toString('hex');
}

/**
 * Every committed event in the logs before going on. Inside a write (a REST call that keeps its
 * Idempotency-Key in the same commit), the integration runs in that write's transaction: queueing
 * a write of its own behind the one that waits for it would never end.
 */
export async function logsCaughtUp(deps: Deps<'db' | 'transparency'>): Promise<void> {
  if (!deps.db.isTransaction) return deps.transparency.catchUp();
  const trx = deps.db as Transaction<Database>;
  while ((await integrateBatch(trx)) === batchSize);
}

/**
 * Runs integration after commits, one batch at a time through the write queue, never two at once.
 * `catchUp()` resolves once every event committed before the call is in the logs.
 */
export class LogIntegrator {
  #running: Promise<void> | undefined;
  #again = false;
  #woken: NodeJS.Timeout | undefined;

  /**
   * `wakeDelayMs`: how long `wake` waits before taking in what commits appended. Woken after every
   * commit, an intake at once is a write of its own queued right behind each one: the next
   * request's or live edit's write waits for it. Waiting a little takes in many commits at once.
   */
  constructor(
    private readonly deps: Deps<'db' | 'writes' | 'logger'>,
    private readonly wakeDelayMs = 0,
  ) {}

  wake(): void {
    if (this.#woken) return;
    this.#woken = setTimeout(() => {
      this.#woken = undefined;
      void this.catchUp().catch((error: unknown) =>
        this.deps.logger.error({ err: error }, 'transparency log integration failed'),
      );
    }, this.wakeDelayMs);
    // A pending intake does not keep the process alive: `catchUp()` is what waits for one.
    this.#woken.unref();
  }

  catchUp(): Promise<void> {
    if (this.#running) {
      this.#again = true;
      return this.#running.then(() => this.catchUp());
    }
    this.#running = (async () => {
      try {
        do {
          this.#again = false;
          // Read first: a write with nothing to do would still wake every commit listener,
          // this one included, for ever.
          while (await behind(this.deps.db)) {
            if ((await this.deps.writes.run((trx) => integrateBatch(trx))) < batchSize) break;
          }
        } while (this.#again);
      } finally {
        this.#running = undefined;
      }
    })();
    return this.#running;
  }
}
