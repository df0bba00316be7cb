import type { Deps } from '../app-deps.ts';
import type { Principal } from '../tenants/principal.ts';
import { notesText } from '../../shared/sync/deal-doc.ts';
import { settleNotes } from './client-update.ts';

type SettlerDeps = Deps<'db' | 'clock' | 'writes' | 'docs' | 'logger'>;

/**
 * Notes typed in a deal room change with every keystroke. Each keystroke is still stored as its own
 * `doc.updated` event (small: the change only), but the notes' full text reaches the tables (an
 * `opportunity.updated` event, which webhooks and feeds carry) at most once per `everyMs` per deal:
 * the first change at once, later ones when the typing has gone on for `everyMs`, with the text
 * the document then holds. A restart loses no text: the document has it, and `reconcile` brings the
 * tables level when a room opens the deal again.
 */
export class NotesSettler {
  readonly #projected = new Map<string, number>();
  readonly #pending = new Map<string, { timer: NodeJS.Timeout; actor: Principal }>();

  constructor(
    private readonly deps: SettlerDeps,
    readonly everyMs = 1000,
  ) {}

  /**
   * Called by a live edit whose only change to the fields is the notes: true when it may leave
   * them out of the tables for now (a settle is then due for the deal, as `actor`).
   */
  defer(dealId: string, actor: Principal): boolean {
    const now = Date.now();
    const last = this.#projected.get(dealId);
    if (last === undefined || now - last >= this.everyMs) {
      this.#projected.set(dealId, now);
      this.#forgetOld(now);
      return false;
    }
    const pending = this.#pending.get(dealId);
    if (pending) pending.actor = actor;
    else {
      const timer = setTimeout(() => void this.#settle(dealId), last + this.everyMs - now);
      timer.unref();
      this.#pending.set(dealId, { timer, actor });
    }
    return true;
  }

  /** Brings the tables' notes level with the document, as `actor` (a room opening the deal). */
  async reconcile(dealId: string, actor: Principal): Promise<void> {
    const live = this.deps.docs.live(dealId);
    if (this.#pending.has(dealId) || !live) return;
    const row = await this.deps.db
      .selectFrom('opportunities')
      .select('notes')
      .where('id', '=', dealId)
      .executeTakeFirst();
    if (row && (row.notes ?? '') !== notesText(live).toString()) await this.#run(dealId, actor);
  }

  /** Settles every deal that has one due (the server is stopping). */
  async flush(): Promise<void> {
    await Promise.all([...this.#pending.keys()].map((dealId) => this.#settle(dealId)));
  }

  async #settle(dealId: string): Promise<void> {
    const pending = this.#pending.get(dealId);
    if (!pending) return;
    clearTimeout(pending.timer);
    this.#pending.delete(dealId);
    this.#projected.set(dealId, Date.now());
    await this.#run(dealId, pending.actor);
  }

  async #run(dealId: string, actor: Principal): Promise<void> {
    try {
      await settleNotes(this.deps, actor, dealId);
    } catch (error) {
      // The actor may have lost access meanwhile; the next edit or room open settles it.
      this.deps.logger.warn({ err: error, dealId }, 'notes not settled');
    }
  }

  /** Deals typed in long ago need no entry: their next change is projected at once anyway. */
  #forgetOld(now: number): void {
    if (this.#projected.size < 10_000) return;
    for (const [dealId, at] of this.#projected)
      if (now - at >= this.everyMs && !this.#pending.has(dealId)) this.#projected.delete(dealId);
  }
}
