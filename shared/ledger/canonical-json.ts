import canonicalizeModule from 'canonicalize';

type Canonicalize = (input: unknown) => string | undefined;
// The package is CommonJS (`module.exports = fn`) but its typings declare `export default`:
// under nodenext TypeScript sees `{ default: fn }` while Node and bundlers hand over `fn` itself.
const canonicalize: Canonicalize =
  (canonicalizeModule as unknown as { default?: Canonicalize }).default ??
  (canonicalizeModule as unknown as Canonicalize);

/**
 * RFC 8785 (JSON Canonicalization Scheme) text of `value`: object keys sorted by UTF-16 code
 * units, no whitespace, numbers in ECMAScript shortest form. Equal JSON data gives byte-equal
 * text whatever the key order, so the result can be hashed and signed, and any JCS library
 * reproduces it.
 *
 * Object properties that are `undefined` are left out, as `JSON.stringify` does, and `toJSON`
 * is honoured (a `Date` becomes its ISO string). Everything else that JSON cannot carry
 * unambiguously throws an `Error` naming the path (`$.splits[1].bps`): `undefined` at the top
 * or in an array, non-finite numbers, BigInt, functions, symbols, lone surrogates, cycles and
 * objects that are neither plain objects nor arrays (Map, Set, class instances without `toJSON`).
 */
export function canonicalJson(value: unknown): string {
  assertEncodable(value, '$', new Set());
  const text = canonicalize(value);
  // Unreachable after the check above; kept so a library change cannot yield a non-string.
  if (typeof text !== 'string') throw new Error('canonicalJson: value has no JSON form');
  return text;
}

// RFC 8785 §3.2.2.2: lone surrogates must be rejected, not escaped.
const loneSurrogate = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

function fail(path: string, what: string): never {
  throw new Error(`canonicalJson: cannot encode ${what} at ${path}`);
}

function assertEncodable(value: unknown, path: string, ancestors: Set<object>): void {
  switch (typeof value) {
    case 'string':
      if (loneSurrogate.test(value)) fail(path, 'a string with a lone surrogate');
      return;
    case 'number':
      if (!Number.isFinite(value)) fail(path, `the non-finite number ${String(value)}`);
      return;
    case 'boolean':
      return;
    case 'undefined':
      return fail(path, 'undefined');
    case 'bigint':
      return fail(path, 'a BigInt (convert it to a string or a safe integer first)');
    case 'function':
      return fail(path, 'a function');
    case 'symbol':
      return fail(path, 'a symbol');
    case 'object':
      break;
  }
  if (value === null) return;
  const toJSON: unknown = (value as { toJSON?: unknown }).toJSON;
  if (typeof toJSON === 'function') {
    assertEncodable(toJSON.call(value), path, ancestors);
    return;
  }
  if (ancestors.has(value)) fail(path, 'a circular reference');
  ancestors.add(value);
  if (Array.isArray(value)) {
    value.forEach((item: unknown, i) => assertEncodable(item, `${path}[${i}]`, ancestors));
  } else {
    const proto: unknown = Object.getPrototypeOf(value);
    if (proto !== Object.prototype && proto !== null) {
      fail(path, `an object of kind ${Object.prototype.toString.call(value)}`);
    }
    for (const [key, item] of Object.entries(value)) {
      if (loneSurrogate.test(key)) fail(path, 'a key with a lone surrogate');
      if (item !== undefined) assertEncodable(item, `${path}.${key}`, ancestors);
    }
  }
  ancestors.delete(value);
}
