import { useState, type FormEvent, type KeyboardEvent } from 'react';
import type { SavedView } from './saved-views.ts';

const custom = '__custom';

/**
 * Pick, save, rename and delete the member's saved views. `current` is the view the address bar
 * names; `changed` when the filters moved away from it since.
 */
export function SavedViewsBar({
  views,
  current,
  changed,
  filtered,
  onPick,
  onSave,
  onUpdate,
  onRename,
  onDelete,
}: {
  views: SavedView[];
  current: SavedView | undefined;
  changed: boolean;
  /** Any filter or sort away from the defaults. */
  filtered: boolean;
  onPick: (view: SavedView | undefined) => void;
  onSave: (name: string) => void;
  onUpdate: (view: SavedView) => void;
  onRename: (view: SavedView, name: string) => void;
  onDelete: (view: SavedView) => void;
}) {
  const [editing, setEditing] = useState<'save' | 'rename'>();
  const [name, setName] = useState('');
  const [said, setSaid] = useState('');

  const start = (mode: 'save' | 'rename') => {
    setEditing(mode);
    setName(mode === 'rename' && current ? current.name : '');
    setSaid('');
  };
  const taken = (text: string) =>
    views.some((v) => v.id !== current?.id && v.name.toLowerCase() === text.toLowerCase());
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const text = name.trim();
    if (!text) return;
    if (editing === 'rename' && current) {
      if (taken(text)) return setSaid(`A view named “${text}” exists already.`);
      onRename(current, text);
      setSaid(`Renamed to “${text}”.`);
    } else {
      onSave(text);
      setSaid(`Saved “${text}”.`);
    }
    setEditing(undefined);
  };
  const onKeyDown = (e: KeyboardEvent) => {
    if (e.key !== 'Escape') return;
    e.preventDefault();
    e.stopPropagation();
    setEditing(undefined);
  };

  const value = current ? current.id : filtered ? custom : '';
  return (
    <div className="saved-views" role="group" aria-label="Saved views">
      <label className="inline">
        View
        <select
          value={value}
          onChange={(e) => {
            setSaid('');
            onPick(views.find((v) => v.id === e.target.value));
          }}
        >
          <option value="">All deals</option>
          {value === custom && (
            <option value={custom} disabled>
              Unsaved filters
            </option>
          )}
          {views.map((v) => (
            <option key={v.id} value={v.id}>
              {v.name}
            </option>
          ))}
        </select>
      </label>
      {current && changed && (
        <>
          <span className="sub">Changed</span>
          <button type="button" className="small" onClick={() => onUpdate(current)}>
            Save changes
          </button>
        </>
      )}
      {editing ? (
        <form
          className="view-name"
          onSubmit={submit}
          aria-label={editing === 'save' ? 'Save view' : 'Rename view'}
        >
          <input
            value={name}
            onChange={(e) => setName(e.target.value)}
            onKeyDown={onKeyDown}
            placeholder="View name"
            aria-label="View name"
            maxLength={60}
            required
            autoFocus
          />
          <button type="submit" className="small">
            {editing === 'save' ? 'Save' : 'Rename'}
          </button>
          <button type="button" className="small quiet" onClick={() => setEditing(undefined)}>
            Cancel
          </button>
        </form>
      ) : (
        <>
          <button type="button" className="small quiet" onClick={() => start('save')}>
            Save view…
          </button>
          {current && (
            <>
              <button type="button" className="small quiet" onClick={() => start('rename')}>
                Rename…
              </button>
              <button
                type="button"
                className="small quiet"
                onClick={() => {
                  onDelete(current);
                  setSaid(`Deleted “${current.name}”.`);
                }}
              >
                Delete
              </button>
            </>
          )}
        </>
      )}
      <span className="sub" role="status">
        {said}
      </span>
      <span className="hint views-where">Views are saved in this browser.</span>
    </div>
  );
}
