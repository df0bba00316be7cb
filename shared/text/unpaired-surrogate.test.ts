import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { unpairedSurrogatePath } from './unpaired-surrogate.ts';

const hasUnpairedSurrogate = (s: string) => unpairedSurrogatePath(s) !== undefined;

describe('unpaired surrogates', () => {
  it('finds a lone high or low half and names its path', () => {
    expect(unpairedSurrogatePath({ fields: { title: 'Deal \uD83D' } })).toBe('fields.title');
    expect(unpairedSurrogatePath({ items: [{ a: 'ok' }, { name: '\uDE00 x' }] })).toBe(
      'items.1.name',
    );
    expect(unpairedSurrogatePath('\uDC00')).toBe('(root)');
    expect(unpairedSurrogatePath({ ['k\uD800']: 1 })).toBe('k\uD800');
  });

  it('accepts every well-formed string, astral characters included', () => {
    expect(unpairedSurrogatePath({ title: 'Rocket 🚀 𝄞', n: 1, x: null })).toBeUndefined();
    fc.assert(fc.property(fc.string({ unit: 'grapheme' }), (s) => !hasUnpairedSurrogate(s)));
  });

  it('agrees with a UTF-8 round trip on any string of code units', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (s) => {
        const wellFormed = Buffer.from(s, 'utf8').toString('utf8') === s;
        return hasUnpairedSurrogate(s) === !wellFormed;
      }),
    );
  });

  it('walks a deeply nested value without overflowing the stack', () => {
    let deep: unknown = '\uD800';
    for (let i = 0; i < 100_000; i++) deep = [deep];
    expect(unpairedSurrogatePath(deep)).toMatch(/^0(\.0)+$/);
  });
});
