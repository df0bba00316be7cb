import { useEffect, useRef, useState, type ReactNode } from 'react';
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

interface FieldProps {
  id: string;
  label: string;
  value: string;
  readOnly: boolean;
  /** Live rooms commit while typing (debounced); otherwise on blur or Enter. */
  live: boolean;
  onCommit: (value: string) => void;
  onFocusChange: (focused: boolean) => void;
  others: Presence[];
  type?: 'text' | 'date';
  inputMode?: 'decimal';
  children?: ReactNode;
}

/** A text or date input that shows the shared value unless the person is editing it. */
export function TextField(props: FieldProps) {
  const { id, label, value, readOnly, live, onCommit, onFocusChange, others } = props;
  const [draft, setDraft] = useState<string | null>(null);
  const timer = useRef<ReturnType<typeof setTimeout>>(undefined);
  const committed = useRef(value);
  useEffect(() => () => clearTimeout(timer.current), []);
  const commit = (v: string) => {
    clearTimeout(timer.current);
    if (v !== committed.current) {
      committed.current = v;
      onCommit(v);
    }
  };
  useEffect(() => {
    committed.current = value;
  }, [value]);
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        type={props.type ?? 'text'}
        inputMode={props.inputMode}
        value={draft ?? value}
        readOnly={readOnly}
        onFocus={() => {
          setDraft(value);
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
          if (e.key === 'Escape') setDraft(value);
        }}
        onBlur={() => {
          if (draft !== null) commit(draft);
          setDraft(null);
          onFocusChange(false);
        }}
      />
      <Typing people={others} />
      {props.children}
    </div>
  );
}

/** A select that commits on change. */
export function SelectField({
  id,
  label,
  value,
  options,
  readOnly,
  onCommit,
  onFocusChange,
  others,
  empty,
}: {
  id: string;
  label: string;
  value: string;
  options: readonly { value: string; text: string }[];
  readOnly: boolean;
  onCommit: (value: string) => void;
  onFocusChange: (focused: boolean) => void;
  others: Presence[];
  empty?: string;
}) {
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <select
        id={id}
        value={value}
        disabled={readOnly}
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
    </div>
  );
}
