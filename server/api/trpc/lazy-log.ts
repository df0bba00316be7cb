import type { Logger } from '../../core/logger.ts';

/**
 * A child of `parent` with `bindings`, made when first used. pino's `child` serializes its
 * bindings at once, and most requests log nothing below the configured level, so a child per
 * request (and another per principal) was work thrown away.
 */
export function lazyChild(parent: Logger, bindings: Record<string, unknown>): Logger {
  let child: Logger | undefined;
  const made = () => (child ??= parent.child(bindings));
  // The target stays empty: every access goes to the child, and no proxy invariant ties it to `parent`.
  return new Proxy({} as Logger, {
    get(_, key) {
      const target = made();
      const value: unknown = Reflect.get(target, key, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
    set: (_, key, value) => Reflect.set(made(), key, value),
    has: (_, key) => Reflect.has(made(), key),
  });
}
