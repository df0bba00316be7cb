import { useSyncExternalStore } from 'react';
import * as Y from 'yjs';
import { canonicalJson } from '../../../../shared/ledger/canonical-json.ts';
import { fieldsMap, writeFields } from '../../../../shared/sync/deal-doc.ts';
import { ExternalStore } from '../ui/external-store.ts';

/** The origin of the field edits made on this page: the only ones its undo takes back. */
export const localEdit = Symbol('a field edited on this page');

/** One field an undoable change touched: what it held before, and what this page set. */
export interface FieldChange {
  field: string;
  before: unknown;
  after: unknown;
}

export type UndoNotice =
  | { kind: 'changed'; changes: FieldChange[] }
  | { kind: 'undone'; changes: FieldChange[] }
  | { kind: 'refused'; field: string; by: string | null; now: unknown };

const same = (a: unknown, b: unknown) => canonicalJson(a ?? null) === canonicalJson(b ?? null);
const metaKey = 'tandem:changes';

/**
 * Undo of one's own last change to the shared fields, while it is safe. A Yjs UndoManager tracks
 * only the transactions this page made with {@link localEdit} (never the partner's, which arrive
 * with the provider as origin, nor the server's). Safe means every field the change touched
 * still holds what this page set: if someone changed one since, undo is refused (and that change
 * forgotten), naming who. An undo is an edit like any other: the server checks it the same way.
 */
export class FieldUndo extends ExternalStore {
  readonly #manager: Y.UndoManager;
  readonly #map: Y.Map<unknown>;
  #lastFields = '';
  #notice: UndoNotice | null = null;

  constructor(
    private readonly doc: Y.Doc,
    /** Who last wrote a field, by the Yjs client id of its value (null: unknown). */
    private readonly whoWrote: (clientId: number) => string | null,
  ) {
    super();
    this.#map = fieldsMap(doc);
    this.#manager = new Y.UndoManager(this.#map, {
      trackedOrigins: new Set([localEdit]),
      captureTimeout: 1000,
    });
  }

  get notice(): UndoNotice | null {
    return this.#notice;
  }

  get canUndo(): boolean {
    return this.#manager.undoStack.length > 0;
  }

  /**
   * Writes the fields that differ from what the document holds, as one undoable change. Typing
   * on in the same field within a second extends the last change; anything else starts anew.
   */
  edit(patch: Record<string, unknown>): void {
    const changes: FieldChange[] = Object.entries(patch)
      .filter(([field, value]) => !same(this.#map.get(field), value))
      .map(([field, value]) => ({ field, before: this.#map.get(field) ?? null, after: value }));
    if (changes.length === 0) return;
    const fields = changes
      .map((c) => c.field)
      .sort()
      .join();
    if (fields !== this.#lastFields) this.#manager.stopCapturing();
    this.#lastFields = fields;
    const sizeBefore = this.#manager.undoStack.length;
    this.doc.transact(
      () => writeFields(this.doc, Object.fromEntries(changes.map((c) => [c.field, c.after]))),
      localEdit,
    );
    const item = this.#manager.undoStack.at(-1);
    if (!item) return;
    // A new stack item, or the last one extended (typing on): keep its first "before".
    const known: FieldChange[] =
      this.#manager.undoStack.length > sizeBefore
        ? []
        : ((item.meta.get(metaKey) as FieldChange[] | undefined) ?? []);
    const merged = [...known];
    for (const change of changes) {
      const at = merged.findIndex((c) => c.field === change.field);
      const after = this.#map.get(change.field) ?? null;
      if (at < 0) merged.push({ ...change, after });
      else merged[at] = { ...merged[at]!, after };
    }
    item.meta.set(metaKey, merged);
    this.#notice = { kind: 'changed', changes: merged };
    this.changed();
  }

  /** Takes back the last change made here, if every field it touched still holds its value. */
  undo(): void {
    const item = this.#manager.undoStack.at(-1);
    if (!item) return;
    const changes = (item.meta.get(metaKey) as FieldChange[] | undefined) ?? [];
    const moved = changes.find((c) => !same(this.#map.get(c.field), c.after));
    if (moved) {
      this.#manager.undoStack.pop();
      this.#notice = {
        kind: 'refused',
        field: moved.field,
        by: this.#writerOf(moved.field),
        now: this.#map.get(moved.field) ?? null,
      };
    } else {
      this.#manager.undo();
      this.#notice = { kind: 'undone', changes };
    }
    this.#lastFields = '';
    this.changed();
  }

  /** Forgets every change (after the server refused one: what it holds is not what was set). */
  clear(): void {
    this.#manager.clear();
    this.#lastFields = '';
    if (this.#notice?.kind === 'changed') this.#notice = null;
    this.changed();
  }

  dismiss(): void {
    this.#notice = null;
    this.changed();
  }

  destroy(): void {
    this.#manager.destroy();
    this.forgetListeners();
  }

  /** Who wrote the value the field holds now (a removed value keeps no author). */
  #writerOf(field: string): string | null {
    const item = (this.#map as unknown as { _map: Map<string, Y.Item> })._map.get(field);
    if (!item || item.deleted) return null;
    return this.whoWrote(item.id.client);
  }
}

/** Re-renders when the undo state changes. */
export function useFieldUndo(undo: FieldUndo | undefined): number {
  return useSyncExternalStore(
    undo?.subscribe ?? noSubscribe,
    undo?.version ?? zero,
    undo?.version ?? zero,
  );
}
const noSubscribe = () => () => {};
const zero = () => 0;
