import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalJson } from '../../shared/ledger/canonical-json.ts';
import { eventHash, type HashedFields } from './ledger-hash.ts';

// Strings that look like the slot the writer fills, to tempt a naive search.
const text = fc.oneof(
  fc.string(),
  fc.constantFrom(',"data":null,', '\\",\\"data\\":null,', '"data":null'),
);
const fieldsArb: fc.Arbitrary<HashedFields> = fc.record({
  seq: fc.nat(),
  dealId: fc.option(text),
  dealSeq: fc.option(fc.nat()),
  type: text,
  actor: fc.record({ companyId: text, kind: text, id: text }),
  privateTo: fc.option(text),
  at: text,
  data: fc.jsonValue(),
  prevHash: text,
  dealPrevHash: fc.option(text),
});

describe('eventHash', () => {
  it('is the same whether the data text is passed in or encoded here', () => {
    fc.assert(
      fc.property(fieldsArb, (fields) => {
        expect(eventHash(fields, canonicalJson(fields.data))).toBe(eventHash(fields));
      }),
      { numRuns: 2000 },
    );
  });
});
