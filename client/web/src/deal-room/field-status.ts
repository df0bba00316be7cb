import { useSyncExternalStore } from 'react';
import type { Problem } from '../api/errors.ts';
import { fieldLabel, problemInWords, showValue } from './field-words.ts';
import { ExternalStore } from '../ui/external-store.ts';

/**
 * Where the last edit of a field made here stands: sent and not yet confirmed by the server
 * (`saving`), confirmed (`saved`), or waiting for the connection (`offline`: kept in this tab
 * and sent on reconnect).
 */
export type SaveState = 'saving' | 'saved' | 'offline';

export interface FieldState {
  save: SaveState | null;
  /** Why the server did not take the field's last edit, in the user's words. */
  problem: string | null;
}

const none: FieldState = { save: null, problem: null };

/** `update refused: fields.title: Too small…; notes: …` → its paths and messages. */
export function parseRefusal(reason: string): { path: string; message: string }[] {
  const body = reason.replace(/^update refused:\s*/, '');
  if (body === reason) return [];
  return body.split(/;\s+(?=(?:fields\.[\w.]+|notes|plan[\w.]*):\s)/).map((part) => {
    const at = part.indexOf(': ');
    return at < 0
      ? { path: part, message: '' }
      : { path: part.slice(0, at), message: part.slice(at + 2) };
  });
}

/** The page's field for an issue path: `fields.customer.name` → `customer`; the plan → none. */
function fieldOfPath(path: string): string | undefined {
  if (path === 'notes') return 'notes';
  const match = /^fields\.(\w+)/.exec(path);
  return match?.[1];
}

/**
 * Every field's save state and problem, for both ways the page writes: the live room (changes
 * counted by the SDK's `saves`, see client/sdk/deal-room-provider.ts) and the API (a request per
 * edit). One problem per field at most; it goes when the field is edited again, or changed by
 * someone else, and the next refusal replaces it.
 */
export class FieldStatusStore extends ExternalStore {
  /** Live: the local change count that covers each field's last edit here. */
  readonly #changedAt = new Map<string, number>();
  /** API: requests in flight per field, and fields whose last request was stored. */
  readonly #inFlight = new Map<string, number>();
  readonly #apiSaved = new Set<string>();
  readonly #problems = new Map<string, string>();
  #confirmed = 0;
  #offline = false;

  /** A live edit made here changed these fields; `seq` is the change count after it. */
  localChange(fields: readonly string[], seq: number): void {
    if (fields.length === 0) return;
    for (const field of fields) {
      this.#changedAt.set(field, seq);
      this.#problems.delete(field);
    }
    this.changed();
  }

  /** Someone else's edit (or the server's) changed these fields: their problems are moot. */
  remoteChange(fields: readonly string[]): void {
    let changed = false;
    for (const field of fields) changed = this.#problems.delete(field) || changed;
    if (changed) this.changed();
  }

  /** The server has answered for the first `seq` live changes. */
  confirmed(seq: number): void {
    if (seq === this.#confirmed) return;
    this.#confirmed = seq;
    this.changed();
  }

  setOffline(offline: boolean): void {
    if (offline === this.#offline) return;
    this.#offline = offline;
    this.changed();
  }

  /**
   * A "permission denied" from the room. The fields it names get their problem in words; a stage
   * rule (a won deal needs its close date) goes to the stage when that is what was just changed.
   * `valueOf` reads what the field holds now (the server has put the saved value back). Returns
   * what named no field (the plan, a read-only role), for the page to show once.
   */
  refused(
    reason: string,
    valueOf?: (field: string) => unknown,
  ): { fields: string[]; rest: string | null } {
    const issues = parseRefusal(reason);
    const pending = new Set(this.#pendingLive());
    const fields: string[] = [];
    const rest: string[] = [];
    for (const { path, message } of issues) {
      let field = fieldOfPath(path);
      if (!field) {
        rest.push(`${path}: ${message}`);
        continue;
      }
      // A stage rule (a won deal needs its close date) belongs to the stage just changed: the
      // server puts the stage back, and the close date's input goes with it.
      if (
        pending.has('stage') &&
        (!pending.has(field) || ['closeDate', 'lostReason'].includes(field))
      )
        field = 'stage';
      if (this.#problems.has(field) && fields.includes(field)) continue;
      const saved = field === 'notes' ? undefined : valueOf?.(field);
      const still =
        saved === undefined
          ? ''
          : ` The saved ${fieldLabel(field).toLowerCase()} is still ${showValue(
              field,
              saved,
              String(valueOf?.('currency') ?? 'USD'),
            )}.`;
      this.#problems.set(field, `Not saved: ${problemInWords(field, message)}${still}`);
      fields.push(field);
    }
    if (issues.length === 0) rest.push(reason);
    if (fields.length > 0) this.changed();
    return { fields, rest: rest.length > 0 ? rest.join('; ') : null };
  }

  /** An edit through the API: saving until `done`, then saved, or its problem. */
  apiStart(fields: readonly string[]): (problem?: Problem) => void {
    for (const field of fields) {
      this.#inFlight.set(field, (this.#inFlight.get(field) ?? 0) + 1);
      this.#problems.delete(field);
      this.#apiSaved.delete(field);
    }
    this.changed();
    return (problem) => {
      for (const field of fields) {
        const left = (this.#inFlight.get(field) ?? 1) - 1;
        if (left > 0) this.#inFlight.set(field, left);
        else this.#inFlight.delete(field);
        if (!problem) this.#apiSaved.add(field);
      }
      if (problem) {
        for (const field of fields) {
          const issue = problem.issues.find((i) => lastPart(i.path) === field);
          this.#problems.set(
            field,
            `Not saved: ${issue ? problemInWords(field, issue.message) : problem.message}`,
          );
        }
      }
      this.changed();
    };
  }

  /** Live fields edited here that the server has not answered for yet. */
  #pendingLive(): string[] {
    return [...this.#changedAt].filter(([, seq]) => seq > this.#confirmed).map(([f]) => f);
  }

  state(field: string): FieldState {
    const problem = this.#problems.get(field) ?? null;
    let save: SaveState | null = null;
    if (this.#inFlight.has(field)) save = 'saving';
    else if (this.#apiSaved.has(field)) save = 'saved';
    const seq = this.#changedAt.get(field);
    if (seq !== undefined)
      save = seq <= this.#confirmed ? 'saved' : this.#offline ? 'offline' : 'saving';
    if (problem && save === 'saved') save = null;
    return save === null && problem === null ? none : { save, problem };
  }

  /** The fields not saved yet, and whether they wait for the connection. */
  unsaved(): { fields: string[]; offline: boolean } {
    return {
      fields: [...new Set([...this.#pendingLive(), ...this.#inFlight.keys()])],
      offline: this.#offline && this.#pendingLive().length > 0,
    };
  }
}

/** `patch.customer.name` → `customer`; `title` → `title`. */
function lastPart(path: string): string {
  const parts = path.split('.');
  return parts[0] === 'patch' || parts[0] === 'fields' ? (parts[1] ?? '') : (parts[0] ?? '');
}

/** Re-renders when any field's state changes. */
export function useFieldStatus(store: FieldStatusStore | undefined): number {
  return useSyncExternalStore(
    store?.subscribe ?? noSubscribe,
    store?.version ?? zero,
    store?.version ?? zero,
  );
}
const noSubscribe = () => () => {};
const zero = () => 0;
