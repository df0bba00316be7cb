import { useEffect, useRef } from 'react';

const shortcuts: [keys: string[], what: string][] = [
  [['j'], 'Select the next deal'],
  [['k'], 'Select the previous deal'],
  [['Enter'], 'Open the selected deal'],
  [['/'], 'Search'],
  [['n'], 'New deal'],
  [['Esc'], 'Close the new deal form, leave the search box'],
  [['?'], 'Show these shortcuts'],
];

/** The pipeline's keyboard shortcuts, in a modal dialog (Esc closes it, focus comes back). */
export function ShortcutsDialog({ open, onClose }: { open: boolean; onClose: () => void }) {
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (open && !dialog.open) dialog.showModal();
    if (!open && dialog.open) dialog.close();
  }, [open]);
  return (
    <dialog ref={ref} className="shortcuts" aria-labelledby="shortcuts-title" onClose={onClose}>
      <h2 id="shortcuts-title">Keyboard shortcuts</h2>
      <p className="sub">They work on the pipeline whenever you are not typing in a field.</p>
      <dl>
        {shortcuts.map(([keys, what]) => (
          <div key={what}>
            <dt>
              {keys.map((k) => (
                <kbd key={k}>{k}</kbd>
              ))}
            </dt>
            <dd>{what}</dd>
          </div>
        ))}
      </dl>
      <button type="button" onClick={onClose} autoFocus>
        Close
      </button>
    </dialog>
  );
}
