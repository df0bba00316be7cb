import { canonicalJson } from '../../shared/ledger/canonical-json.ts';
import type { HistoryChange } from '../../shared/opportunities/deal-view.schema.ts';

/** What the replay needs of a ledger event of the deal: its type and its data. */
interface EventLike {
  type: string;
  data: unknown;
}

type Fields = Record<string, unknown>;

const same = (a: unknown, b: unknown) => canonicalJson(a ?? null) === canonicalJson(b ?? null);
const empty = (v: unknown) => (v === undefined || v === '' ? null : v);

/**
 * What each event of a deal changed, from what to what, for a history people can read. The
 * ledger's `opportunity.updated` and `step.updated` carry only the new values; the old ones come
 * from replaying the deal's events in order (the same events the projection applies). The
 * customer is compared field by field (`customer.name`); notes, which can be long, come as a
 * diff summary instead of both texts. Returns one entry per event: undefined where the event is
 * not a change of fields (a created deal, an invitation, a raw `doc.updated`...).
 */
export function historyChanges(events: readonly EventLike[]): (HistoryChange[] | undefined)[] {
  let fields: Fields = {};
  const steps = new Map<string, Fields>();
  return events.map((event) => {
    const data = (event.data ?? {}) as Record<string, unknown>;
    switch (event.type) {
      case 'opportunity.created':
        fields = { ...((data.fields as Fields | undefined) ?? {}) };
        return undefined;
      case 'opportunity.updated': {
        const next = (data.changes as Fields | undefined) ?? {};
        const changes = Object.entries(next).flatMap(([key, to]) =>
          fieldChanges(key, fields[key], to),
        );
        fields = { ...fields, ...next };
        return changes;
      }
      case 'step.added': {
        const step = data.step as Fields | undefined;
        if (step && typeof step.id === 'string') steps.set(step.id, { ...step });
        return undefined;
      }
      case 'step.updated': {
        const id = String(data.stepId);
        const before = steps.get(id) ?? {};
        const next = (data.changes as Fields | undefined) ?? {};
        steps.set(id, { ...before, ...next });
        return Object.entries(next)
          .filter(([key, to]) => !same(before[key], to))
          .map(([key, to]) => ({ field: key, from: empty(before[key]), to: empty(to) }));
      }
      default:
        return undefined;
    }
  });
}

function fieldChanges(key: string, from: unknown, to: unknown): HistoryChange[] {
  if (same(empty(from), empty(to))) return [];
  if (key === 'notes') {
    return [{ field: 'notes', diff: textDiff(String(from ?? ''), String(to ?? '')) }];
  }
  if (key === 'customer' && isObject(from) && isObject(to)) {
    return [...new Set([...Object.keys(from), ...Object.keys(to)])]
      .filter((k) => !same(empty(from[k]), empty(to[k])))
      .map((k) => ({ field: `customer.${k}`, from: empty(from[k]), to: empty(to[k]) }));
  }
  return [{ field: key, from: empty(from), to: empty(to) }];
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

const excerptChars = 60;

/**
 * One edit from `before` to `after` as a count of characters (code points) added and removed
 * around their common start and end, and the start of what was added (or else removed).
 */
export function textDiff(
  before: string,
  after: string,
): { added: number; removed: number; excerpt: string } {
  const a = Array.from(before);
  const b = Array.from(after);
  let start = 0;
  while (start < a.length && start < b.length && a[start] === b[start]) start++;
  let endA = a.length;
  let endB = b.length;
  while (endA > start && endB > start && a[endA - 1] === b[endB - 1]) {
    endA--;
    endB--;
  }
  // A pure insertion (or deletion) can sit at several places ("t|hree t|wo" or "|three |two").
  // At the end of the text it stays there (typing on: the excerpts of successive edits then read
  // on from each other); elsewhere it moves left to where a word starts, if it can.
  const wordStart = (text: string[], at: number) =>
    at === 0 || /\s/.test(text[at - 1]!) || /\s/.test(text[at]!);
  if (endA === start && endB < b.length) {
    while (start > 0 && !wordStart(b, start) && b[start - 1] === b[endB - 1]) {
      start--;
      endA--;
      endB--;
    }
  } else if (endB === start && endA < a.length) {
    while (start > 0 && !wordStart(a, start) && a[start - 1] === a[endA - 1]) {
      start--;
      endA--;
      endB--;
    }
  }
  const removed = a.slice(start, endA);
  const added = b.slice(start, endB);
  const shown = added.length > 0 ? added : removed;
  const text = shown.join('').replace(/\s+/g, ' ');
  const cut = Array.from(text);
  return {
    added: added.length,
    removed: removed.length,
    excerpt: cut.length > excerptChars ? `${cut.slice(0, excerptChars).join('').trimEnd()}…` : text,
  };
}
