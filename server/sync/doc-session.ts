import * as Y from 'yjs';
import type { Executor } from '../store/db.ts';
import type { WriteHooks } from '../store/write-queue.ts';
import type { DealDocs, LiveStand } from './deal-docs.ts';
import type { WriteDocs } from './doc-registry.ts';
import { insertUpdates, loadUpdates, serverDoc } from './doc-store.ts';

interface Working {
  doc: Y.Doc;
  /** Updates made on the copy, with their origin; `stored` of them are already in the table. */
  changes: { update: Uint8Array; origin: unknown }[];
  stored: number;
  /** Where the live document stood when the copy was taken (see DealDocs.keepCopy); none without one. */
  stand?: LiveStand;
  /** Handed to DealDocs as the live document's copy: no longer this session's to destroy. */
  kept?: boolean;
  stopCapture(): void;
}

/**
 * One write's copies of the documents it touches. Everything made on a copy is captured, stored
 * in the write's transaction by `persist`, and handed on by the write's hooks: to the live
 * document on success, to the rooms on commit; on failure the live document is reloaded.
 */
export class DocSession implements WriteDocs {
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
    // The write holds the store's write lock: what it reads now is the latest document.
    if (this.docs.shared) await this.docs.catchUp(db, dealId);
    const stand = this.docs.stand(dealId);
    const doc = this.docs.takeCopy(dealId) ?? (await this.#build(db, dealId, create, changes));
    if (!doc) return undefined;
    this.docs.begin(dealId);
    const capture = (update: Uint8Array, origin: unknown) => {
      working.changes.push({ update, origin });
    };
    const working: Working = {
      doc,
      changes,
      stored: 0,
      stand,
      stopCapture: () => doc.off('update', capture),
    };
    this.#working.set(dealId, working);
    doc.on('update', capture);
    return doc;
  }

  /**
   * A copy made from the live document or, without one, from the stored updates; a deal with
   * neither gets its first document from the loader (if `create`), recorded in `changes`.
   */
  async #build(
    db: Executor,
    dealId: string,
    create: boolean,
    changes: Working['changes'],
  ): Promise<Y.Doc | undefined> {
    const live = this.docs.live(dealId);
    let updates = live ? [Y.encodeStateAsUpdate(live)] : await loadUpdates(db, dealId);
    if (updates.length === 0) {
      if (!create) return undefined;
      const seeded = serverDoc();
      await this.docs.loader?.({ db, documentName: dealId, document: seeded });
      if (seeded.store.clients.size > 0) {
        updates = [Y.encodeStateAsUpdate(seeded)];
        changes.push({ update: updates[0]!, origin: null });
      }
      seeded.destroy();
    }
    return serverDoc(updates);
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
      // The copy now holds what the live document holds: the next write of the deal starts from it.
      if (!working.stand) continue;
      working.stopCapture();
      this.docs.keepCopy(dealId, working.doc, working.stand);
      working.kept = true;
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
      if (!working.kept) working.doc.destroy();
      this.docs.end(dealId);
    }
    this.#working.clear();
  }

  #publish(dealId: string, changes: Working['changes']): void {
    const origins = new Set(changes.map((c) => c.origin));
    this.docs.publish({
      dealId,
      // Merging re-encodes even a lone update; most live edits are one.
      update:
        changes.length === 1 ? changes[0]!.update : Y.mergeUpdates(changes.map((c) => c.update)),
      origin: origins.size === 1 ? changes[0]!.origin : null,
    });
  }

  /** For a write outside the write queue (no hooks): hand the changes on at once. */
  settleNow(): void {
    this.#promote();
    this.#finish(true);
  }
}
