import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalJson } from '../../shared/ledger/canonical-json.ts';
import { ledgerActor, type Actor } from './ledger-event.ts';
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

describe('the actor of an agent change', () => {
  const fields: HashedFields = {
    seq: 1,
    dealId: 'opp_1',
    dealSeq: 1,
    type: 'step.added',
    actor: { companyId: 'cmp_a', kind: 'member', id: 'mem_a' },
    privateTo: null,
    at: '2026-12-10T00:00:00.000Z',
    data: { step: { id: 'stp_1' } },
    prevHash: '0'.repeat(64),
    dealPrevHash: '0'.repeat(64),
  };

  it('leaves the hash of a change made without an agent as it always was', () => {
    const text = canonicalJson(fields);
    expect(text).not.toContain('via');
    expect(ledgerActor(fields.actor as Actor)).toEqual(fields.actor);
  });

  it('covers via and tool, so neither can be edited or dropped later', () => {
    const agent = ledgerActor({ ...(fields.actor as Actor), via: 'mcp', tool: 'add_step' });
    const withAgent = eventHash({ ...fields, actor: agent });
    expect(withAgent).not.toBe(eventHash(fields));
    expect(eventHash({ ...fields, actor: { ...agent, tool: 'update_step' } })).not.toBe(withAgent);
  });
});
