import { notesText } from '../../shared/sync/deal-doc.ts';
import type { Deps } from '../deps.ts';
import { writeDeals } from './deal-writer.ts';
import {
  clearNotesDue,
  dealRow,
  dealsWithNotesDue,
  lastLiveEditor,
} from './live-edit.repository.ts';
import { rowToFields } from './opportunity.mapper.ts';
import { changedFields } from './opportunity.service.ts';

type SettlerDeps = Deps<'db' | 'clock' | 'writes' | 'docs' | 'logger'>;

/**
 * Notes typed in a deal room change with every keystroke. Each keystroke is still stored as its own
 * `doc.updated` event (small: the change only), but the notes' full text reaches the tables (an
 * `opportunity.updated` event, which webhooks and feeds carry) at most once per `everyMs` per deal:
 * the first change at once, later ones when the typing has gone on for `everyMs`, with the text the
 * document then holds. A deferred change leaves a `notes_due` row in its own transaction, so what a
 * crash leaves unsettled is settled when the server starts again (`settleDue`).
 */
export class NotesSettler {
  readonly #projected = new Map<string, number>();
  readonly #timers = new Map<string, NodeJS.Timeout>();
  #closed = false;
  #sweep: Promise<void> = Promise.resolve();

  constructor(
    private readonly deps: SettlerDeps,
    readonly everyMs = 1000,
  ) {}

  /**
   * Called by a live edit whose only change to the fields is the notes: true when it may leave
   * them out of the tables for now (it must then record the deal in `notes_due`).
   */
  defer(dealId: string): boolean {
    if (this.#closed) return false;
    const now = Date.now();
    const last = this.#projected.get(dealId);
    if (last === undefined || now - last >= this.everyMs) {
      this.#projected.set(dealId, now);
      this.#forgetOld(now);
      return false;
    }
    if (!this.#timers.has(dealId)) {
      const timer = setTimeout(() => void this.#settle(dealId), last + this.everyMs - now);
      timer.unref();
      this.#timers.set(dealId, timer);
    }
    return true;
  }

  /**
   * Settles the deals in `notes_due`: at start, what a crash left; at stop, what is pending; now
   * and then (`olderThanMs`), what any instance left that long ago, which its timer would have
   * settled were it alive.
   */
  settleDue(olderThanMs?: number): Promise<void> {
    const run = this.#sweep.then(async () => {
      const before =
        olderThanMs === undefined
          ? undefined
          : new Date(this.deps.clock.now().getTime() - olderThanMs).toISOString();
      for (const dealId of await dealsWithNotesDue(this.deps.db, before))
        await this.#settle(dealId);
    });
    // One sweep at a time; a failed one leaves its rows for the next.
    this.#sweep = run.catch(() => {});
    return run;
  }

  /** The server is stopping: no more deferring, and what is due is settled now. */
  async flush(): Promise<void> {
    this.#closed = true;
    for (const timer of this.#timers.values()) clearTimeout(timer);
    this.#timers.clear();
    await this.settleDue();
  }

  async #settle(dealId: string): Promise<void> {
    clearTimeout(this.#timers.get(dealId));
    this.#timers.delete(dealId);
    this.#projected.set(dealId, Date.now());
    try {
      await settleNotes(this.deps, dealId);
    } catch (error) {
      // Left in notes_due: the next start settles it.
      this.deps.logger.warn({ err: error, dealId }, 'notes not settled');
    }
  }

  /** Deals typed in long ago need no entry: their next change is projected at once anyway. */
  #forgetOld(now: number): void {
    if (this.#projected.size < 10_000) return;
    for (const [dealId, at] of this.#projected)
      if (now - at >= this.everyMs && !this.#timers.has(dealId)) this.#projected.delete(dealId);
  }
}

/**
 * Records the notes the deal's document holds, if the tables' copy differs, and clears the deal's
 * `notes_due` (see NotesSettler). The text is the last typist's, so the event is theirs.
 */
export async function settleNotes(
  deps: Deps<'db' | 'clock' | 'writes' | 'docs'>,
  dealId: string,
): Promise<void> {
  const typist = await lastLiveEditor(deps.db, dealId);
  if (!typist) {
    await deps.writes.run((trx) => clearNotesDue(trx, dealId));
    return;
  }
  await writeDeals(deps, typist, async (w) => {
    await clearNotesDue(w.trx, dealId);
    const deal = await dealRow(w.trx, dealId);
    if (!deal) return;
    const current = rowToFields(deal);
    const notes = notesText(await w.doc(dealId)).toString();
    const changes = changedFields(current, { ...current, notes });
    if (Object.keys(changes).length === 0) return;
    await w.emit(dealId, { type: 'opportunity.updated', data: { changes } }, { fromDoc: true });
  });
}
