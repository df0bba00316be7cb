/**
 * Text must be well-formed Unicode: a UTF-16 surrogate without its partner cannot be encoded as
 * UTF-8 or canonical JSON (RFC 8785), so it would fail later, half way through a write. Every face
 * checks its input here first and names the field. (With the `u` flag a pair is one code point, so
 * only an unpaired half matches.)
 */
const unpaired = /[\uD800-\uDFFF]/u;

export const unpairedSurrogateMessage =
  'holds an unpaired UTF-16 surrogate: not valid Unicode text';

/**
 * The dotted path (`fields.title`, `items.3.name`, `(root)`) of the first string in `value`, as a
 * value or as a key, that holds an unpaired surrogate; undefined when all text is well formed.
 * Iterative, so a deeply nested body cannot overflow the stack.
 */
export function unpairedSurrogatePath(value: unknown): string | undefined {
  // Each entry links to its parent, so a path is built only for the one string that fails.
  interface Entry {
    value: unknown;
    key: string | undefined;
    parent: Entry | undefined;
  }
  const pathOf = (entry: Entry | undefined, last?: string) => {
    const parts = last === undefined ? [] : [last];
    for (let e = entry; e?.key !== undefined; e = e.parent) parts.push(e.key);
    return parts.length === 0 ? '(root)' : parts.reverse().join('.');
  };
  const stack: Entry[] = [{ value, key: undefined, parent: undefined }];
  while (stack.length > 0) {
    const entry = stack.pop()!;
    const v = entry.value;
    if (typeof v === 'string') {
      if (unpaired.test(v)) return pathOf(entry);
    } else if (Array.isArray(v)) {
      for (let i = v.length - 1; i >= 0; i--)
        stack.push({ value: v[i], key: String(i), parent: entry });
    } else if (v !== null && typeof v === 'object') {
      const entries = Object.entries(v);
      for (let i = entries.length - 1; i >= 0; i--) {
        const [key, inner] = entries[i]!;
        if (unpaired.test(key)) return pathOf(entry, key);
        stack.push({ value: inner, key, parent: entry });
      }
    }
  }
  return undefined;
}
