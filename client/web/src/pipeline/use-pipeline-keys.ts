import { useEffect, useRef } from 'react';

export interface PipelineKeys {
  /** j / k (and ↓ / ↑ on the focused list): the selection one deal down or up. */
  move: (delta: 1 | -1) => void;
  /** Enter: the selected deal's room. */
  open: () => void;
  /** `/`: the search box. */
  search: () => void;
  /** n: the new-deal form. */
  create: () => void;
  /** ?: the shortcuts help. */
  help: () => void;
  /** Esc, from anywhere on the page but a dialog; true when it did something. */
  escape: (target: HTMLElement | null) => boolean;
}

/** Text goes here: a letter typed is text, never a shortcut. */
export function isTyping(el: Element | null): boolean {
  if (!(el instanceof HTMLElement)) return false;
  return el.isContentEditable || el.closest('input, textarea, select, [contenteditable]') !== null;
}

/** Enter already means something here (follow the link, press the button). */
function isControl(el: Element | null): boolean {
  return el instanceof HTMLElement && el.closest('a, button, summary, [role="button"]') !== null;
}

/**
 * The pipeline's keyboard shortcuts, Linear's habits: letters never fire while the person is
 * typing (input, textarea, select, contenteditable) or with Ctrl, Alt or ⌘; a dialog handles its
 * own keys. Handlers are read at key time, so they may be new functions on every render.
 */
export function usePipelineKeys(keys: PipelineKeys): void {
  const ref = useRef(keys);
  ref.current = keys;
  useEffect(() => {
    const onKeyDown = (e: KeyboardEvent) => {
      if (e.defaultPrevented || e.ctrlKey || e.metaKey || e.altKey || e.isComposing) return;
      const target = e.target instanceof HTMLElement ? e.target : null;
      if (target?.closest('dialog')) return;
      const k = ref.current;
      if (e.key === 'Escape') {
        if (k.escape(target)) e.preventDefault();
        return;
      }
      if (isTyping(target)) return;
      const onList = target?.hasAttribute('data-deal-list') ?? false;
      const run = (fn: () => void) => {
        e.preventDefault();
        fn();
      };
      switch (e.key) {
        case 'j':
          return run(() => k.move(1));
        case 'k':
          return run(() => k.move(-1));
        case 'ArrowDown':
          return onList ? run(() => k.move(1)) : undefined;
        case 'ArrowUp':
          return onList ? run(() => k.move(-1)) : undefined;
        case 'Enter':
          return isControl(target) ? undefined : run(k.open);
        case '/':
          return run(k.search);
        case 'n':
          return run(k.create);
        case '?':
          return run(k.help);
        default:
          return undefined;
      }
    };
    document.addEventListener('keydown', onKeyDown);
    return () => document.removeEventListener('keydown', onKeyDown);
  }, []);
}
