import { matchesEventType } from '../../shared/webhooks/event-types.ts';
import type { Deps } from '../deps.ts';
import type { Executor } from '../store/db.ts';
import { feedRows } from '../ledger/change-feed.ts';
import { deliverDue } from './endpoint-rounds.ts';
import {
  activeEndpoints,
  endpointById,
  ledgerHead,
  nextDueAt,
  queueDeliveries,
  setCursor,
} from './outbox.repository.ts';
import type { EndpointRow } from './webhook.repository.ts';

type WorkerDeps = Deps<
  'db' | 'writes' | 'clock' | 'logger' | 'config' | 'deploymentKey' | 'positions'
>;

/** With no commit to wake it, the worker still looks this often (writes by other processes). */
const pollMs = 1000;
const pageSize = 500;
const pagesPerScan = 4;

/**
 * Delivers the ledger to webhook endpoints.
 *
 * Why the ledger is the outbox: every change is already appended to it in the transaction that
 * makes the change, durably and in one order, and the change feed already decides what each
 * company may see of it. A second outbox filled in the same transaction would copy the events
 * and need the visibility rule applied at write time, where it can drift from what the feed
 * shows at read time. Instead each endpoint keeps the feed's own cursor: the worker pages the
 * company's feed from it, queues a delivery row per wanted event and moves the cursor in one
 * commit, so a receiver gets exactly the feed, and a restart resumes from what is on disk.
 *
 * Delivery: per endpoint, the oldest pending delivery of each deal (a lane) may go out, up to
 * `concurrency` at a time, so one deal's events arrive in order and a slow deal or a slow
 * receiver holds up only itself. Each endpoint is served by its own rounds (endpoint-rounds.ts):
 * each attempt's outcome is committed, grouped with others, before the lane moves on; an
 * attempt cut short by shutdown is not recorded and is sent again after the restart.
 *
 * Several instances: one worker runs per cluster, on the instance holding the delivery lease
 * (main.ts), and its writes are fenced by the lease's epoch. A dead holder's attempts in flight
 * were never recorded, so its successor sends them again, with the same event ids.
 */
export class DeliveryWorker {
  #stopping = false;
  #dirty = true;
  #wake: (() => void) | undefined;
  #loop: Promise<void> | undefined;
  readonly #abort = new AbortController();
  /** The rounds running per endpoint; `again` asks them to look once more before they end. */
  readonly #rounds = new Map<string, { again: boolean; task: Promise<void> }>();
  /**
   * When the next pending delivery falls due, as last read (undefined: read it again). Read only
   * when it may have moved: at start, after a round put a delivery off to a retry, and on each
   * poll (an instance's API may have resumed an endpoint). Read at every commit's wake, it
   * scanned the delivery table each time: 6 to 15 ms at 200,000 rows on SQLite, on the loop.
   */
  #nextDue: { at: string | undefined } | undefined;
  /** `cursor:head` an endpoint was last scanned at: no new events, no need to look again. */
  readonly #scanned = new Map<string, string>();

  constructor(
    private readonly deps: WorkerDeps,
    private readonly options: {
      /**
       * Run first in each of the worker's writes: throws once this instance no longer holds the
       * delivery lease, so a worker that lost it records nothing after its successor started.
       */
      fence?: (trx: Executor) => Promise<void>;
    } = {},
  ) {}

  start(): void {
    this.#loop ??= this.#run();
  }

  /** Something changed (a commit, an endpoint resumed): look now rather than at the next poll. */
  wake(): void {
    this.#dirty = true;
    this.#wake?.();
  }

  /**
   * Stops taking work, lets attempts in flight finish for up to `graceMs`, then cancels the
   * rest (left pending, so they go out again after a restart). Resolves once nothing writes.
   */
  async stop(graceMs: number): Promise<void> {
    this.#stopping = true;
    this.#wake?.();
    await this.#loop;
    const all = () => Promise.all([...this.#rounds.values()].map((r) => r.task));
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([all(), new Promise((r) => (timer = setTimeout(r, graceMs)))]);
    clearTimeout(timer);
    this.#abort.abort();
    await all();
  }

  async #run(): Promise<void> {
    while (!this.#stopping) {
      this.#dirty = false;
      let waitMs = pollMs;
      try {
        await this.#scan();
        await this.#dispatch();
        waitMs = await this.#untilNextDue();
      } catch (error) {
        this.deps.logger.error({ err: error }, 'webhook worker pass failed');
      }
      if (this.#dirty || this.#stopping) continue;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(() => {
          this.#nextDue = undefined;
          resolve();
        }, waitMs);
        this.#wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.#wake = undefined;
    }
  }

  async #scan(): Promise<void> {
    const head = await ledgerHead(this.deps.db);
    for (const endpoint of await activeEndpoints(this.deps.db)) {
      if (this.#stopping) return;
      if (
        endpoint.cursor >= head ||
        this.#scanned.get(endpoint.id) === `${endpoint.cursor}:${head}`
      )
        continue;
      const scanned = await this.#scanEndpoint(endpoint.id);
      if (!scanned) continue;
      if (scanned.more) this.#dirty = true;
      else this.#scanned.set(endpoint.id, `${scanned.cursor}:${scanned.head}`);
    }
  }

  /** Pages the company's feed from the endpoint's cursor and queues what it wants, in one commit. */
  #scanEndpoint(id: string) {
    return this.deps.writes.run(async (trx) => {
      await this.options.fence?.(trx);
      const endpoint = await endpointById(trx, id);
      if (endpoint?.status !== 'active') return undefined;
      const head = await ledgerHead(trx);
      const wanted = JSON.parse(endpoint.event_types) as string[];
      const at = this.deps.clock.now().toISOString();
      let cursor = endpoint.cursor;
      let more = false;
      for (let page = 0; page < pagesPerScan; page++) {
        const rows = await feedRows(
          { db: trx },
          { companyId: endpoint.company_id },
          { after: cursor, limit: pageSize },
        );
        await queueDeliveries(
          trx,
          rows
            .filter((e) => matchesEventType(wanted, e.type))
            .map((e) => ({ endpointId: id, seq: e.seq, lane: e.deal_id ?? '', type: e.type, at })),
        );
        cursor = rows.at(-1)?.seq ?? cursor;
        more = rows.length === pageSize;
        if (!more) break;
      }
      if (cursor !== endpoint.cursor) await setCursor(trx, { endpointId: id, cursor });
      return { cursor, head, more };
    });
  }

  async #dispatch(): Promise<void> {
    for (const endpoint of await activeEndpoints(this.deps.db)) {
      if (this.#stopping) return;
      const running = this.#rounds.get(endpoint.id);
      if (running) running.again = true;
      else this.#serve(endpoint);
    }
  }

  async #untilNextDue(): Promise<number> {
    this.#nextDue ??= { at: await nextDueAt(this.deps.db) };
    const next = this.#nextDue.at;
    if (!next) return pollMs;
    const ms = Date.parse(next) - this.deps.clock.now().getTime();
    // Due now but not sent: waiting on a lane or a slot in flight, whose end wakes the worker.
    return ms <= 0 ? pollMs : Math.min(ms, pollMs);
  }

  #serve(endpoint: EndpointRow): void {
    const entry = { again: false, task: Promise.resolve() };
    entry.task = (async () => {
      let attempts = 0;
      try {
        const done = await deliverDue(this.deps, endpoint, {
          fence: this.options.fence,
          signal: this.#abort.signal,
          stopping: () => this.#stopping,
          lookAgain: () => {
            const again = entry.again;
            entry.again = false;
            return again;
          },
        });
        attempts = done.attempts;
        if (done.retries > 0) this.#nextDue = undefined;
      } catch (error) {
        // Not woken after a failure (a lost lease, a store down): the next poll tries again.
        attempts = 0;
        this.deps.logger.error({ err: error, endpointId: endpoint.id }, 'webhook round failed');
      }
      this.#rounds.delete(endpoint.id);
      // Retries may now fall due at another time: look again (not after no work: it would spin).
      if (attempts > 0) this.wake();
    })();
    this.#rounds.set(endpoint.id, entry);
  }
}
