import * as Y from 'yjs';
import type { Deps } from '../deps.ts';
import type { Executor } from '../store/sqlite/db.ts';
import type { WriteHooks } from '../store/write-queue.ts';
import { docFromProjection, insertUpdates, loadUpdates, serverDoc } from './doc-store.ts';

/** A committed change to a deal's document, and the connection it came from (if any). */
export interface DocChange {
  dealId: string;
  update: Uint8Array;
  origin: unknown;
}

/**
 * The deals' Yjs documents as the server holds them. Rooms keep their document here while people
 * are in them ("live"); every write works on its own copy (a {@link DocSession}) and its changes
 * reach the live document only when its savepoint is released, and the rooms only once the
 * commit is durable — so no one ever sees an edit that could still be rolled back.
 */
export class DealDocs {
  readonly #live = new Map<string, Y.Doc>();
  readonly #inflight = new Map<string, number>();
  /** For deals being opened: how many opens wait, and writes started since, so `open` can tell it raced one. */
  readonly #opening = new Map<string, { opens: number; begun: number }>();
  readonly #waiters = new Map<string, (() => void)[]>();
  readonly #sessions = new WeakMap<WriteHooks, DocSession>();
  readonly #listeners = new Set<(change: DocChange) => void>();
  readonly #resets = new Set<(dealId: string) => void>();
  readonly #access = new Set<(dealId: string) => void>();

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

  /** @internal For sessions. */
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
        const updates = await loadUpdates(deps.db, dealId);
        if (updates.length === 0 && !seeded) {
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
          for (const update of updates) Y.applyUpdate(doc, update);
        });
        this.#live.set(dealId, doc);
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

interface Working {
  doc: Y.Doc;
  /** Updates made on the copy, with their origin; `stored` of them are already in the table. */
  changes: { update: Uint8Array; origin: unknown }[];
  stored: number;
}

/**
 * One write's copies of the documents it touches. Everything made on a copy is captured, stored
 * in the write's transaction by `persist`, and handed on by the write's hooks: to the live
 * document on success, to the rooms on commit; on failure the live document is reloaded.
 */
export class DocSession {
  readonly #working = new Map<string, Working>();
  readonly #accessChanged = new Set<string>();
  #promoted = false;

  constructor(
    private readonly docs: DealDocs,
    hooks: WriteHooks | undefined,
  ) {
    if (hooks) {
      hooks.onSuccess(() => this.#promote());
      hooks.onCommit(() => this.#finish(true));
      hooks.onFailure(() => this.#finish(false));
    }
  }

  /**
   * The write's copy of a deal's document; a deal that has none yet gets one built from its
   * tables, stored with the write.
   */
  async doc(db: Executor, dealId: string): Promise<Y.Doc> {
    return (await this.#open(db, dealId, true))!;
  }

  /**
   * The write's copy of the deal's document if the deal has one. An API write to a deal that has
   * none changes only the tables: the document is built from them when a room first opens it.
   */
  existingDoc(db: Executor, dealId: string): Promise<Y.Doc | undefined> {
    return this.#open(db, dealId, false);
  }

  async #open(db: Executor, dealId: string, create: boolean): Promise<Y.Doc | undefined> {
    const known = this.#working.get(dealId);
    if (known) return known.doc;
    const changes: Working['changes'] = [];
    const live = this.docs.live(dealId);
    let updates = live ? [Y.encodeStateAsUpdate(live)] : await loadUpdates(db, dealId);
    if (updates.length === 0) {
      if (!create) return undefined;
      const seeded = await docFromProjection(db, dealId);
      if (seeded) {
        updates = [Y.encodeStateAsUpdate(seeded)];
        changes.push({ update: updates[0]!, origin: null });
        seeded.destroy();
      }
    }
    this.docs.begin(dealId);
    const doc = serverDoc(updates);
    const working: Working = { doc, changes, stored: 0 };
    this.#working.set(dealId, working);
    doc.on('update', (update: Uint8Array, origin: unknown) => {
      working.changes.push({ update, origin });
    });
    return doc;
  }

  /** Stores what the copies captured since the last call, in the write's transaction. */
  async persist(db: Executor, at: string): Promise<void> {
    for (const [dealId, working] of this.#working) {
      const fresh = working.changes.slice(working.stored).map((c) => c.update);
      await insertUpdates(db, dealId, fresh, at);
      working.stored = working.changes.length;
    }
  }

  #promote(): void {
    this.#promoted = true;
    for (const [dealId, working] of this.#working) {
      const live = this.docs.live(dealId);
      if (!live) continue;
      for (const change of working.changes) Y.applyUpdate(live, change.update, change.origin);
    }
  }

  /** Says, once the write commits, that who takes part in the deal changed. */
  accessChanged(dealId: string): void {
    this.#accessChanged.add(dealId);
  }

  #finish(committed: boolean): void {
    if (committed) for (const dealId of this.#accessChanged) this.docs.accessChanged(dealId);
    this.#accessChanged.clear();
    for (const [dealId, working] of this.#working) {
      if (committed) {
        // One merged update: a refused edit and its undoing reach the others as one, unseen.
        if (working.changes.length > 0) this.#publish(dealId, working.changes);
      } else if (this.#promoted) {
        this.docs.reset(dealId);
      }
      working.doc.destroy();
      this.docs.end(dealId);
    }
    this.#working.clear();
  }

  #publish(dealId: string, changes: Working['changes']): void {
    const origins = new Set(changes.map((c) => c.origin));
    this.docs.publish({
      dealId,
      update: Y.mergeUpdates(changes.map((c) => c.update)),
      origin: origins.size === 1 ? changes[0]!.origin : null,
    });
  }

  /** For a write outside the write queue (no hooks): hand the changes on at once. */
  settleNow(): void {
    this.#promote();
    this.#finish(true);
  }
}
