import { useEffect, useRef, useState } from 'react';
import type * as Y from 'yjs';
import { FieldProblem, SaveMark, Typing } from './field-inputs.tsx';
import type { FieldState } from './field-status.ts';
import type { Presence } from './live-room.ts';

/** Applies the edit from `before` to `after` to the Y.Text as one delete and one insert. */
function applyDiff(text: Y.Text, before: string, after: string): void {
  let start = 0;
  while (start < before.length && start < after.length && before[start] === after[start]) start++;
  let endB = before.length;
  let endA = after.length;
  while (endB > start && endA > start && before[endB - 1] === after[endA - 1]) {
    endB--;
    endA--;
  }
  text.doc!.transact(() => {
    if (endB > start) text.delete(start, endB - start);
    if (endA > start) text.insert(start, after.slice(start, endA));
  });
}

/**
 * The shared notes. Live: bound to the document's Y.Text, so both companies type into the same
 * text at once. Otherwise: a plain text area saved through the API.
 */
export function NotesPanel({
  text,
  fallback,
  readOnly,
  onSave,
  focus,
  others,
  status,
}: {
  text: Y.Text | null;
  fallback: string;
  readOnly: boolean;
  onSave: (notes: string) => Promise<void>;
  focus: (on: boolean) => void;
  others: Presence[];
  status?: FieldState;
}) {
  const area = useRef<HTMLTextAreaElement>(null);
  const [value, setValue] = useState(text ? text.toString() : fallback);
  const [dirty, setDirty] = useState(false);
  useEffect(() => {
    if (!text) {
      if (!dirty) setValue(fallback);
      return;
    }
    setValue(text.toString());
    const observe = (event: Y.YTextEvent) => {
      const el = area.current;
      const next = text.toString();
      if (el && document.activeElement === el && !event.transaction.local) {
        // Keep the caret where it was, shifted by what a partner inserted before it.
        let caret = el.selectionStart;
        let index = 0;
        for (const d of event.delta) {
          if (d.retain) index += d.retain;
          else if (typeof d.insert === 'string') {
            if (index <= caret) caret += d.insert.length;
            index += d.insert.length;
          } else if (d.delete) {
            if (index < caret) caret -= Math.min(d.delete, caret - index);
          }
        }
        setValue(next);
        requestAnimationFrame(() => el.setSelectionRange(caret, caret));
      } else setValue(next);
    };
    text.observe(observe);
    return () => text.unobserve(observe);
  }, [text, fallback, dirty]);

  return (
    <section className="card notes" aria-labelledby="notes-title">
      <div className="fields-head">
        <h2 id="notes-title">
          <label htmlFor="deal-notes">Notes</label>
        </h2>
        <SaveMark field="notes" save={status?.save} />
      </div>
      <textarea
        id="deal-notes"
        ref={area}
        rows={8}
        value={value}
        readOnly={readOnly}
        aria-invalid={status?.problem ? true : undefined}
        aria-describedby={status?.problem ? 'deal-notes-problem' : undefined}
        onFocus={() => focus(true)}
        onBlur={() => focus(false)}
        onChange={(e) => {
          const next = e.target.value;
          if (text) applyDiff(text, text.toString(), next);
          else setDirty(true);
          setValue(next);
        }}
      />
      <Typing people={others} />
      <FieldProblem id="deal-notes-problem" problem={status?.problem} />
      {!text && !readOnly && (
        <button
          type="button"
          disabled={!dirty}
          onClick={() => void onSave(value).then(() => setDirty(false))}
        >
          Save notes
        </button>
      )}
    </section>
  );
}
