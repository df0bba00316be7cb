import { useEffect, useId, useRef, type KeyboardEvent, type ReactNode } from 'react';

const focusable =
  'button:not([disabled]), [href], input:not([disabled]), select:not([disabled]), textarea:not([disabled]), [tabindex]:not([tabindex="-1"])';

/**
 * A modal question before a change with consequences: role=dialog, labelled by its title and
 * described by its body, focus kept inside (Tab and Shift+Tab wrap), Esc or a click outside
 * cancels, and focus goes back where it was when it closes. The first control (or the one marked
 * `data-autofocus`) takes focus when it opens.
 */
export function ConfirmDialog({
  title,
  children,
  confirmLabel,
  cancelLabel = 'Cancel',
  confirmDisabled = false,
  onConfirm,
  onCancel,
  returnFocusTo,
}: {
  title: string;
  children: ReactNode;
  confirmLabel: string;
  cancelLabel?: string;
  confirmDisabled?: boolean;
  onConfirm: () => void;
  onCancel: () => void;
  /** Where focus goes when it closes; by default, where it was when it opened. */
  returnFocusTo?: () => HTMLElement | null;
}) {
  const id = useId();
  const box = useRef<HTMLDivElement>(null);
  const cancel = useRef(onCancel);
  cancel.current = onCancel;
  const back = useRef(returnFocusTo);
  back.current = returnFocusTo;

  useEffect(() => {
    const before = document.activeElement as HTMLElement | null;
    const el = box.current!;
    const first =
      el.querySelector<HTMLElement>('[data-autofocus]') ?? el.querySelector<HTMLElement>(focusable);
    first?.focus();
    // Focus that leaves the dialog (a click outside, a screen reader's jump) comes back to it.
    const keepInside = (e: FocusEvent) => {
      if (e.target instanceof Node && !el.contains(e.target))
        el.querySelector<HTMLElement>(focusable)?.focus();
    };
    document.addEventListener('focusin', keepInside);
    return () => {
      document.removeEventListener('focusin', keepInside);
      (back.current?.() ?? before)?.focus();
    };
  }, []);

  const onKeyDown = (e: KeyboardEvent) => {
    if (e.key === 'Escape') {
      e.preventDefault();
      e.stopPropagation();
      cancel.current();
      return;
    }
    if (e.key !== 'Tab') return;
    const items = Array.from(box.current!.querySelectorAll<HTMLElement>(focusable));
    if (items.length === 0) return;
    const first = items[0]!;
    const last = items.at(-1)!;
    if (e.shiftKey && document.activeElement === first) {
      e.preventDefault();
      last.focus();
    } else if (!e.shiftKey && document.activeElement === last) {
      e.preventDefault();
      first.focus();
    }
  };

  return (
    <div
      className="dialog-backdrop"
      onMouseDown={(e) => e.target === e.currentTarget && onCancel()}
    >
      <div
        ref={box}
        className="dialog"
        role="dialog"
        aria-modal="true"
        aria-labelledby={`${id}-title`}
        aria-describedby={`${id}-body`}
        onKeyDown={onKeyDown}
      >
        <h2 id={`${id}-title`}>{title}</h2>
        <div id={`${id}-body`} className="dialog-body">
          {children}
        </div>
        <div className="actions">
          <button type="button" disabled={confirmDisabled} onClick={onConfirm}>
            {confirmLabel}
          </button>
          <button type="button" className="quiet" onClick={onCancel} data-autofocus>
            {cancelLabel}
          </button>
        </div>
      </div>
    </div>
  );
}
