import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalJson } from './canonical-json.ts';

function shuffledKeys(value: unknown, seed: number): unknown {
  if (Array.isArray(value)) return value.map((v) => shuffledKeys(v, seed));
  if (value === null || typeof value !== 'object') return value;
  const entries = Object.entries(value);
  const rotated = entries.map((_, i) => entries[(i + seed) % entries.length]!);
  return Object.fromEntries(rotated.reverse().map(([k, v]) => [k, shuffledKeys(v, seed)]));
}

describe('canonicalJson', () => {
  it('gives the same text whatever the key order', () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.nat(20), (value, seed) => {
        expect(canonicalJson(shuffledKeys(value, seed))).toBe(canonicalJson(value));
      }),
    );
  });

  it('parses back to the same JSON value', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        expect(JSON.parse(canonicalJson(value))).toEqual(JSON.parse(JSON.stringify(value)));
      }),
    );
  });

  it('reproduces the RFC 8785 §3.2.2 sample', () => {
    const input = JSON.parse(
      '{"numbers":[333333333.33333329,1E30,4.50,2e-3,0.000000000000000000000000001],' +
        '"string":"\\u20ac$\\u000F\\u000aA\'\\u0042\\u0022\\u005c\\\\\\"\\/",' +
        '"literals":[null,true,false]}',
    ) as unknown;
    expect(canonicalJson(input)).toBe(
      '{"literals":[null,true,false],"numbers":[333333333.3333333,1e+30,4.5,0.002,1e-27],' +
        '"string":"€$\\u000f\\nA\'B\\"\\\\\\\\\\"/"}',
    );
  });

  it('sorts keys by UTF-16 code units as in RFC 8785 §3.2.3', () => {
    const input = {
      '\u20ac': 'Euro Sign',
      '\r': 'Carriage Return',
      '\ufb33': 'Hebrew Letter Dalet With Dagesh',
      '1': 'One',
      '\ud83d\ude00': 'Emoji: Grinning Face',
      '\u0080': 'Control',
      '\u00f6': 'Latin Small Letter O With Diaeresis',
    };
    // Compared as text: parsing it back would put the integer-like key "1" first again.
    expect(canonicalJson(input)).toBe(
      '{"\\r":"Carriage Return","1":"One","\u0080":"Control",' +
        '"\u00f6":"Latin Small Letter O With Diaeresis","\u20ac":"Euro Sign",' +
        '"\ud83d\ude00":"Emoji: Grinning Face","\ufb33":"Hebrew Letter Dalet With Dagesh"}',
    );
  });

  it.each([
    [0, '0'],
    [-0, '0'],
    [5e-324, '5e-324'],
    [-5e-324, '-5e-324'],
    [Number.MAX_VALUE, '1.7976931348623157e+308'],
    [2.2250738585072014e-308, '2.2250738585072014e-308'],
    [9007199254740992, '9007199254740992'],
    [1e21, '1e+21'],
    [999999999999999868928, '999999999999999900000'],
    [1e-7, '1e-7'],
    [0.000001, '0.000001'],
    [9.999999999999997e-7, '9.999999999999997e-7'],
    [295147905179352830000, '295147905179352830000'],
  ])('writes the number %s as %s (RFC 8785 appendix B)', (n, text) => {
    expect(canonicalJson(n)).toBe(text);
  });

  it('escapes only what JSON requires and keeps other characters as they are', () => {
    expect(canonicalJson('\u0000\u001f\u007f\u2028é😀')).toBe('"\\u0000\\u001f\u007f\u2028é😀"');
  });

  it('leaves out undefined object properties and uses toJSON', () => {
    expect(canonicalJson({ b: undefined, a: new Date(Date.UTC(2026, 0, 2)) })).toBe(
      '{"a":"2026-01-02T00:00:00.000Z"}',
    );
  });

  it.each<[string, unknown, RegExp]>([
    ['undefined at the top', undefined, /undefined at \$/],
    ['NaN', { a: [1, NaN] }, /non-finite number NaN at \$\.a\[1\]/],
    ['Infinity', Infinity, /non-finite number Infinity/],
    ['a BigInt', { amount: 10n }, /BigInt .*at \$\.amount/],
    ['undefined in an array', [undefined], /undefined at \$\[0\]/],
    ['a function', { f: () => 1 }, /function at \$\.f/],
    ['a Map', { m: new Map() }, /object of kind \[object Map\] at \$\.m/],
    ['a lone surrogate', { s: 'a\ud800' }, /lone surrogate at \$\.s/],
  ])('refuses %s with a clear error', (_name, value, message) => {
    expect(() => canonicalJson(value)).toThrow(message);
  });

  it('refuses a cycle', () => {
    const a: Record<string, unknown> = {};
    a.self = { a };
    expect(() => canonicalJson(a)).toThrow(/circular reference at \$\.self\.a/);
  });

  it('accepts a shared, non-circular sub-object twice', () => {
    const shared = { x: 1 };
    expect(canonicalJson({ a: shared, b: shared })).toBe('{"a":{"x":1},"b":{"x":1}}');
  });
});
