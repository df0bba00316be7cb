import { useEffect, useRef, useState } from 'react';
import type { FieldState, SaveState } from './field-status.ts';
import type { Presence } from './live-room.ts';

/** Who else is typing in this field, shown under its label. */
export function Typing({ people }: { people: Presence[] }) {
  if (people.length === 0) return null;
  return (
    <span className="typing" aria-live="polite">
      {people.map((p) => (
        <span key={p.clientId} style={{ borderColor: p.color }}>
          {p.name} ({p.company}) is here
        </span>
      ))}
    </span>
  );
}

const saveWords: Record<SaveState, string> = {
  saving: 'Saving…',
  saved: 'Saved',
  offline: 'Offline: not sent yet',
};

/** Where the last edit of the field stands: saving, saved, or kept offline. */
export function SaveMark({ field, save }: { field: string; save: SaveState | null | undefined }) {
  if (!save) return null;
  return (
    <span
      className={`save-state save-${save}`}
      data-testid={`save-state-${field}`}
      data-state={save}
      aria-live="polite"
      title={save === 'offline' ? 'Kept in this tab, and sent when you are back online' : undefined}
    >
      {saveWords[save]}
    </span>
  );
}

/** The one problem of a field, next to it. */
export function FieldProblem({ id, problem }: { id: string; problem: string | null | undefined }) {
  if (!problem) return null;
  return (
    <span id={id} className="field-problem" role="alert">
      {problem}
    </span>
  );
}

interface FieldProps {
  id: string;
  /** The field's key, as save states name it. */
  field: string;
  label: string;
  value: string;
  readOnly: boolean;
  /** Live rooms commit while typing (debounced); otherwise on blur or Enter. */
  live: boolean;
  onCommit: (value: string) => void;
  onFocusChange: (focused: boolean) => void;
  others: Presence[];
  status?: FieldState;
  /** What is wrong with a draft, in words (it is then not sent), or null. */
  validate?: (value: string) => string | null;
  type?: 'text' | 'date';
  inputMode?: 'decimal';
}

/**
 * A text or date input that shows the shared value unless the person is editing it. A draft that
 * does not validate is kept (and said why) rather than silently dropped, until it is fixed or Esc
 * puts the shared value back; one problem shows at a time, the draft's before the server's.
 */
export function TextField(props: FieldProps) {
  const { id, field, label, value, readOnly, live, onCommit, onFocusChange, others } = props;
  const [draft, setDraft] = useState<string | null>(null);
  const [focused, setFocused] = useState(false);
  const timer = useRef<ReturnType<typeof setTimeout>>(undefined);
  const committed = useRef(value);
  useEffect(() => () => clearTimeout(timer.current), []);
  const invalid = draft !== null && props.validate ? props.validate(draft) : null;
  const commit = (v: string) => {
    clearTimeout(timer.current);
    if (props.validate?.(v)) return;
    if (v !== committed.current) {
      committed.current = v;
      onCommit(v);
    }
  };
  useEffect(() => {
    committed.current = value;
  }, [value]);
  const problem = invalid ?? props.status?.problem ?? null;
  const problemId = `${id}-problem`;
  return (
    <div className="field">
      <div className="field-head">
        <label htmlFor={id}>{label}</label>
        <SaveMark field={field} save={invalid ? null : props.status?.save} />
      </div>
      <input
        id={id}
        type={props.type ?? 'text'}
        inputMode={props.inputMode}
        value={draft ?? value}
        readOnly={readOnly}
        aria-invalid={problem ? true : undefined}
        aria-describedby={problem ? problemId : undefined}
        onFocus={() => {
          if (draft === null) setDraft(value);
          setFocused(true);
          onFocusChange(true);
        }}
        onChange={(e) => {
          const v = e.target.value;
          setDraft(v);
          if (live) {
            clearTimeout(timer.current);
            timer.current = setTimeout(() => commit(v), 250);
          }
        }}
        onKeyDown={(e) => {
          if (e.key === 'Enter' && draft !== null) commit(draft);
          if (e.key === 'Escape') {
            clearTimeout(timer.current);
            setDraft(focused ? value : null);
          }
        }}
        onBlur={() => {
          if (draft !== null) commit(draft);
          // An invalid draft stays, with its problem, rather than vanish unsaved.
          if (!(draft !== null && props.validate?.(draft))) setDraft(null);
          setFocused(false);
          onFocusChange(false);
        }}
      />
      <Typing people={others} />
      <FieldProblem id={problemId} problem={problem} />
    </div>
  );
}

/** A select that commits on change. */
export function SelectField({
  id,
  field,
  label,
  value,
  options,
  readOnly,
  onCommit,
  onFocusChange,
  others,
  empty,
  status,
}: {
  id: string;
  field: string;
  label: string;
  value: string;
  options: readonly { value: string; text: string }[];
  readOnly: boolean;
  onCommit: (value: string) => void;
  onFocusChange: (focused: boolean) => void;
  others: Presence[];
  empty?: string;
  status?: FieldState;
}) {
  const problemId = `${id}-problem`;
  return (
    <div className="field">
      <div className="field-head">
        <label htmlFor={id}>{label}</label>
        <SaveMark field={field} save={status?.save} />
      </div>
      <select
        id={id}
        value={value}
        disabled={readOnly}
        aria-invalid={status?.problem ? true : undefined}
        aria-describedby={status?.problem ? problemId : undefined}
        onFocus={() => onFocusChange(true)}
        onBlur={() => onFocusChange(false)}
        onChange={(e) => onCommit(e.target.value)}
      >
        {empty !== undefined && <option value="">{empty}</option>}
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.text}
          </option>
        ))}
      </select>
      <Typing people={others} />
      <FieldProblem id={problemId} problem={status?.problem} />
    </div>
  );
}
