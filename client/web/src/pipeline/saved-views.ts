import { useCallback, useEffect, useState } from 'react';

/** A named set of pipeline filters and sort, kept as the query string the address bar shows. */
export interface SavedView {
  id: string;
  name: string;
  query: string;
}

/**
 * One member's views, in this browser's localStorage under a key per company and member (the
 * server keeps no preferences). They are filters, not data: nothing a token or a deal carries.
 */
function storageKey(companyId: string, memberId: string): string {
  return `tandem.pipeline-views.${companyId}.${memberId}`;
}

function read(key: string): SavedView[] {
  try {
    const parsed: unknown = JSON.parse(localStorage.getItem(key) ?? '[]');
    if (!Array.isArray(parsed)) return [];
    return parsed.filter(
      (v): v is SavedView =>
        typeof v === 'object' &&
        v !== null &&
        typeof (v as SavedView).id === 'string' &&
        typeof (v as SavedView).name === 'string' &&
        typeof (v as SavedView).query === 'string',
    );
  } catch {
    return [];
  }
}

function newId(): string {
  return Date.now().toString(36) + Math.random().toString(36).slice(2, 6);
}

export function useSavedViews(companyId: string, memberId: string) {
  const key = storageKey(companyId, memberId);
  const [views, setViews] = useState(() => read(key));

  // Another tab of this browser saved or deleted a view.
  useEffect(() => {
    const onStorage = (e: StorageEvent) => {
      if (e.key === key) setViews(read(key));
    };
    window.addEventListener('storage', onStorage);
    return () => window.removeEventListener('storage', onStorage);
  }, [key]);

  const write = useCallback(
    (next: SavedView[]) => {
      try {
        localStorage.setItem(key, JSON.stringify(next));
      } catch {
        // Storage full or disabled: the views last as long as the page.
      }
      setViews(next);
    },
    [key],
  );

  /** Saves the query under a name; a name already taken (any case) is overwritten. Returns the id. */
  const save = (name: string, query: string): string => {
    const same = views.find((v) => v.name.toLowerCase() === name.toLowerCase());
    if (same) {
      write(views.map((v) => (v.id === same.id ? { ...v, name, query } : v)));
      return same.id;
    }
    const view = { id: newId(), name, query };
    write([...views, view]);
    return view.id;
  };
  const update = (id: string, change: Partial<Omit<SavedView, 'id'>>) =>
    write(views.map((v) => (v.id === id ? { ...v, ...change } : v)));
  const remove = (id: string) => write(views.filter((v) => v.id !== id));

  return { views, save, update, remove };
}
