import * as Y from 'yjs';
import type { Deps } from '../deps.ts';
import type { WriteHooks } from '../store/write-queue.ts';
import { DocSession } from './doc-session.ts';
import type { DocChange, DocRegistry } from './doc-registry.ts';
import type { Executor } from '../store/db.ts';
import { loadUpdatesAfter } from './doc-store.ts';
import type { DocumentLoader } from './hooks.ts';

/**
 * Where a deal's live document stands: which one it is (a reload makes another) and how often it
 * changed other than by a write's success. A copy made at one stand matches only that stand.
 */
export interface LiveStand {
  live: Y.Doc;
  moves: number;
}

/** The origin of changes a live document took from the store (other instances' writes). */
const fromStore = Symbol('from the store');

/**
 * The deals' Yjs documents as the server holds them. Rooms keep their document here while people
 * are in them ("live"); every write works on its own copy (a {@link DocSession}) and its changes
 * reach the live document only when its savepoint is released, and the rooms only once the
 * commit is durable — so no one ever sees an edit that could still be rolled back.
 *
 * On a store shared by several instances (`shared`), other instances' writes reach a live
 * document from the store (`catchUp`): when the bus says a deal gained updates, and before every
 * write here, which so always starts from the latest committed document.
 */
export class DealDocs implements DocRegistry {
  readonly #live = new Map<string, Y.Doc>();
  /**
   * Per live document, the server's copy of it (a write's copy left in step by its success), so
   * the next write takes it instead of encoding the whole document and rebuilding it.
   */
  readonly #copies = new Map<string, { doc: Y.Doc; stand: LiveStand }>();
  /** How often each live document changed other than by a write's success (its copy then goes). */
  readonly #moves = new WeakMap<Y.Doc, number>();
  /** The last stored update row each live document holds (shared stores). */
  readonly #applied = new Map<string, number>();
  readonly #inflight = new Map<string, number>();
  /** For deals being opened: how many opens wait, and writes started since, so `open` can tell it raced one. */
  readonly #opening = new Map<string, { opens: number; begun: number }>();
  readonly #waiters = new Map<string, (() => void)[]>();
  readonly #sessions = new WeakMap<WriteHooks, DocSession>();
  readonly #listeners = new Set<(change: DocChange) => void>();
  readonly #resets = new Set<(dealId: string) => void>();
  readonly #access = new Set<(dealId: string) => void>();
  #loader: DocumentLoader | undefined;

  constructor(readonly options: { shared?: boolean } = {}) {}

  /** Whether other instances write to the same store (see `catchUp`). */
  get shared(): boolean {
    return this.options.shared ?? false;
  }

  /**
   * Registers what builds a deal's first document (the `onLoadDocument` hook); until then a deal
   * with no stored updates opens as an empty document.
   */
  loadWith(loader: DocumentLoader): void {
    this.#loader = loader;
  }

  /** @internal For sessions. */
  get loader(): DocumentLoader | undefined {
    return this.#loader;
  }

  /** Calls `fn` with every committed change. */
  onChange(fn: (change: DocChange) => void): () => void {
    this.#listeners.add(fn);
    return () => this.#listeners.delete(fn);
  }

  /** Calls `fn` when a live document was dropped because a write that touched it failed. */
  onReset(fn: (dealId: string) => void): () => void {
    this.#resets.add(fn);
    return () => this.#resets.delete(fn);
  }

  /** Calls `fn` after a commit that changed who takes part in a deal. */
  onAccessChange(fn: (dealId: string) => void): () => void {
    this.#access.add(fn);
    return () => this.#access.delete(fn);
  }

  /** Tells the rooms that who takes part in the deal changed (a session's commit, or the bus). */
  accessChanged(dealId: string): void {
    for (const fn of this.#access) fn(dealId);
  }

  /** The write's session: one per write, shared by every `writeDeals` inside it. */
  session(hooks: WriteHooks | undefined): DocSession {
    if (!hooks) return new DocSession(this, undefined);
    let session = this.#sessions.get(hooks);
    if (!session) {
      session = new DocSession(this, hooks);
      this.#sessions.set(hooks, session);
    }
    return session;
  }

  liveDeals(): string[] {
    return [...this.#live.keys()];
  }

  live(dealId: string): Y.Doc | undefined {
    return this.#live.get(dealId);
  }

  /**
   * Keeps the deal's document in memory for a room, loading it if needed. A deal that has no
   * document yet (API writes do not make one) gets it built from its tables by a write of its
   * own, so it is stored before anyone edits it and every later write keeps it in step.
   */
  async open(deps: Deps<'db' | 'writes' | 'clock'>, dealId: string): Promise<Y.Doc> {
    const opening = this.#opening.get(dealId) ?? { opens: 0, begun: 0 };
    opening.opens += 1;
    this.#opening.set(dealId, opening);
    let seeded = false;
    try {
      for (;;) {
        await this.settled(dealId);
        const loaded = this.#live.get(dealId);
        if (loaded) return loaded;
        const began = opening.begun;
        const rows = await loadUpdatesAfter(deps.db, dealId, 0);
        if (rows.length === 0 && !seeded) {
          seeded = true;
          await deps.writes.run(async (trx) => {
            const session = this.session(deps.writes.current());
            await session.doc(trx, dealId);
            await session.persist(trx, deps.clock.now().toISOString());
          });
          continue;
        }
        // A write that started while this one read may have missed the live document: read again.
        if (opening.begun !== began || this.#inflight.get(dealId)) continue;
        const raced = this.#live.get(dealId);
        if (raced) return raced;
        // A live document never writes, so it keeps a random id (never the server's).
        const doc = new Y.Doc();
        doc.transact(() => {
          for (const row of rows) Y.applyUpdate(doc, row.update);
        });
        this.#live.set(dealId, doc);
        this.#applied.set(dealId, rows.at(-1)?.id ?? 0);
        // Another instance may have written since the read; the bus told no one of it yet.
        if (this.shared) await this.catchUp(deps.db, dealId);
        return doc;
      }
    } finally {
      if (--opening.opens === 0) this.#opening.delete(dealId);
    }
  }

  /** Drops a live document (its room is idle). */
  unload(dealId: string): void {
    this.#live.get(dealId)?.destroy();
    this.#live.delete(dealId);
    this.#applied.delete(dealId);
    this.#dropCopy(dealId);
  }

  /** @internal For sessions: where the deal's live document stands now, if there is one. */
  stand(dealId: string): LiveStand | undefined {
    const live = this.#live.get(dealId);
    return live && { live, moves: this.#moves.get(live) ?? 0 };
  }

  /** @internal For sessions: the kept copy of the live document, if it still matches; the caller owns it. */
  takeCopy(dealId: string): Y.Doc | undefined {
    const copy = this.#copies.get(dealId);
    if (!copy) return undefined;
    this.#copies.delete(dealId);
    if (this.#at(dealId, copy.stand)) return copy.doc;
    copy.doc.destroy();
    return undefined;
  }

  /**
   * @internal For sessions: a copy that holds what the live document holds now (a write's, after
   * its success reached the live document), made when the live document stood at `stand`.
   */
  keepCopy(dealId: string, doc: Y.Doc, stand: LiveStand): void {
    if (!this.#at(dealId, stand)) {
      doc.destroy();
      return;
    }
    this.#dropCopy(dealId);
    this.#copies.set(dealId, { doc, stand });
  }

  #at(dealId: string, stand: LiveStand): boolean {
    const live = this.#live.get(dealId);
    return live === stand.live && (this.#moves.get(live) ?? 0) === stand.moves;
  }

  /** The live document changed other than by a write's success: its kept copy no longer matches. */
  #moved(dealId: string): void {
    const live = this.#live.get(dealId);
    if (live) this.#moves.set(live, (this.#moves.get(live) ?? 0) + 1);
    this.#dropCopy(dealId);
  }

  #dropCopy(dealId: string): void {
    this.#copies.get(dealId)?.doc.destroy();
    this.#copies.delete(dealId);
  }

  /**
   * Brings a live document up to the updates the store holds beyond it (other instances' writes:
   * committed, so safe to show) and hands what it gained to the listeners as a committed change.
   * Applying an update twice changes nothing, so overlapping calls are harmless.
   */
  async catchUp(db: Executor, dealId: string): Promise<void> {
    const live = this.#live.get(dealId);
    if (!live) return;
    const rows = await loadUpdatesAfter(db, dealId, this.#applied.get(dealId) ?? 0);
    if (rows.length === 0 || this.#live.get(dealId) !== live) return;
    let gained: Uint8Array | undefined;
    const keep = (update: Uint8Array) => (gained = update);
    live.on('update', keep);
    Y.applyUpdate(live, Y.mergeUpdates(rows.map((r) => r.update)), fromStore);
    live.off('update', keep);
    this.#applied.set(dealId, Math.max(this.#applied.get(dealId) ?? 0, rows.at(-1)!.id));
    if (gained) {
      this.#moved(dealId);
      this.publish({ dealId, update: gained, origin: null });
    }
  }

  /** Resolves once no write touching the deal is between its start and its commit. */
  settled(dealId: string): Promise<void> {
    if (!this.#inflight.get(dealId)) return Promise.resolve();
    return new Promise((resolve) => {
      const list = this.#waiters.get(dealId) ?? [];
      list.push(resolve);
      this.#waiters.set(dealId, list);
    });
  }

  /** @internal For sessions. */
  begin(dealId: string): void {
    const opening = this.#opening.get(dealId);
    if (opening) opening.begun += 1;
    this.#inflight.set(dealId, (this.#inflight.get(dealId) ?? 0) + 1);
  }

  /** @internal For sessions. */
  end(dealId: string): void {
    const left = (this.#inflight.get(dealId) ?? 1) - 1;
    if (left > 0) {
      this.#inflight.set(dealId, left);
      return;
    }
    this.#inflight.delete(dealId);
    const waiters = this.#waiters.get(dealId) ?? [];
    this.#waiters.delete(dealId);
    for (const resolve of waiters) resolve();
  }

  /** @internal For sessions. */
  publish(change: DocChange): void {
    for (const fn of this.#listeners) fn(change);
  }

  /** @internal For sessions: a failed write may have reached the live document; reload it. */
  reset(dealId: string): void {
    if (!this.#live.has(dealId)) return;
    this.unload(dealId);
    for (const fn of this.#resets) fn(dealId);
  }
}
