import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalJson } from '../ledger/canonical-json.ts';
import type { SplitInput } from './splits.ts';
import {
  buildStatement,
  canonicalStatement,
  isCanonical,
  statementFormat,
  statementSchema,
  type StatementInput,
} from './statement.ts';

const hash = 'ab'.repeat(32);

const input: StatementInput = {
  dealId: 'deal_7Qx',
  version: 2,
  amountMinor: 1_000_001,
  currency: 'USD',
  closeDate: '2026-03-31',
  splits: [
    { companyId: 'co_zeta', kind: 'fulfilment', bps: 2500 },
    { companyId: 'co_alpha', kind: 'sourced', bps: 5000 },
    { companyId: 'co_mid', kind: 'influenced', bps: 2500 },
  ],
  reporting: {
    co_zeta: { currency: 'JPY', rate: '149.5' },
    co_alpha: { currency: 'BHD', rate: '0.377' },
  },
  previousHash: hash,
};

function reversed(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(reversed);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value)
      .reverse()
      .map(([k, v]) => [k, reversed(v)]),
  );
}

describe('buildStatement', () => {
  it('splits the amount, orders splits by companyId and converts reporting shares', () => {
    expect(buildStatement(input)).toEqual({
      format: 'tandem.attribution/1',
      dealId: 'deal_7Qx',
      version: 2,
      amountMinor: 1_000_001,
      currency: 'USD',
      closeDate: '2026-03-31',
      splits: [
        // $5,000.005 → 500,000 + the leftover unit (remainder 5,000 vs 2,500 twice).
        {
          companyId: 'co_alpha',
          kind: 'sourced',
          bps: 5000,
          amountMinor: 500_001,
          reporting: { currency: 'BHD', rate: '0.377', amountMinor: 1_885_004 }, // 1885.00377
        },
        { companyId: 'co_mid', kind: 'influenced', bps: 2500, amountMinor: 250_000 },
        {
          companyId: 'co_zeta',
          kind: 'fulfilment',
          bps: 2500,
          amountMinor: 250_000,
          reporting: { currency: 'JPY', rate: '149.5', amountMinor: 373_750 },
        },
      ],
      previousHash: hash,
    });
  });

  it('leaves `reporting` out, not undefined, for a company reporting in the deal currency', () => {
    const mid = buildStatement(input).splits[1]!;
    expect(Object.keys(mid)).toEqual(['companyId', 'kind', 'bps', 'amountMinor']);
  });

  it('gives a canonical text pinned byte for byte', () => {
    expect(canonicalStatement(buildStatement(input))).toBe(
      '{"amountMinor":1000001,"closeDate":"2026-03-31","currency":"USD",' +
        '"dealId":"deal_7Qx","format":"tandem.attribution/1",' +
        `"previousHash":"${hash}","splits":[` +
        '{"amountMinor":500001,"bps":5000,"companyId":"co_alpha","kind":"sourced",' +
        '"reporting":{"amountMinor":1885004,"currency":"BHD","rate":"0.377"}},' +
        '{"amountMinor":250000,"bps":2500,"companyId":"co_mid","kind":"influenced"},' +
        '{"amountMinor":250000,"bps":2500,"companyId":"co_zeta","kind":"fulfilment",' +
        '"reporting":{"amountMinor":373750,"currency":"JPY","rate":"149.5"}}],' +
        '"version":2}',
    );
  });

  it('gives the same canonical text whatever the order of the splits and reporting entries', () => {
    const splitsArb = fc
      .uniqueArray(fc.constantFrom('a', 'B', 'co_1', 'co_2', 'é', 'constructor', 'z'), {
        minLength: 1,
        maxLength: 7,
      })
      .map((companies): SplitInput[] => {
        const base = Math.floor(10_000 / companies.length);
        return companies.map((companyId, i) => ({
          companyId,
          kind: 'influenced',
          bps: i === 0 ? 10_000 - base * (companies.length - 1) : base,
        }));
      });
    fc.assert(
      fc.property(
        splitsArb.chain((splits) =>
          fc.tuple(
            fc.constant(splits),
            fc.shuffledSubarray(splits, { minLength: splits.length, maxLength: splits.length }),
          ),
        ),
        fc.nat(1e12),
        ([splits, shuffled], amountMinor) => {
          const reporting = Object.fromEntries(
            splits.map((s) => [s.companyId, { currency: 'EUR', rate: '0.9221' }]),
          );
          const one = buildStatement({ ...input, amountMinor, splits, reporting });
          const other = buildStatement({
            ...input,
            amountMinor,
            splits: shuffled,
            reporting: Object.fromEntries(Object.entries(reporting).reverse()),
          });
          expect(canonicalStatement(other)).toBe(canonicalStatement(one));
          expect(isCanonical(canonicalStatement(one))).toBe(true);
        },
      ),
    );
  });

  it('does not take Object.prototype members for a reporting entry', () => {
    const statement = buildStatement({
      ...input,
      splits: [{ companyId: 'constructor', kind: 'sourced', bps: 10_000 }],
      reporting: {},
    });
    expect(statement.splits[0]).not.toHaveProperty('reporting');
  });

  it('refuses reporting for a company without a split', () => {
    expect(() =>
      buildStatement({ ...input, reporting: { co_other: { currency: 'EUR', rate: '1' } } }),
    ).toThrow(RangeError);
  });

  it('refuses bad splits and rates with a RangeError', () => {
    expect(() => buildStatement({ ...input, splits: input.splits.slice(1) })).toThrow(RangeError);
    expect(() =>
      buildStatement({ ...input, reporting: { co_mid: { currency: 'EUR', rate: '-1' } } }),
    ).toThrow(RangeError);
  });

  it('refuses malformed fields through the schema', () => {
    expect(() => buildStatement({ ...input, closeDate: '31/03/2026' })).toThrow(/closeDate|date/);
    expect(() => buildStatement({ ...input, version: 1 })).toThrow(/previousHash/);
  });
});

describe('statementSchema', () => {
  const statement = buildStatement(input);

  it('round-trips a statement through its canonical text', () => {
    const parsed = statementSchema.parse(JSON.parse(canonicalStatement(statement)));
    expect(parsed).toEqual(statement);
    expect(canonicalStatement(parsed)).toBe(canonicalStatement(statement));
  });

  it('accepts version 1 with no previous hash', () => {
    const first = buildStatement({ ...input, version: 1, previousHash: null });
    expect(statementSchema.parse(first)).toEqual(first);
  });

  const withSplit = (i: number, change: object): unknown => ({
    ...statement,
    splits: statement.splits.map((s, j) => (j === i ? { ...s, ...change } : s)),
  });

  it.each<[string, unknown, (string | number)[]]>([
    ['an unknown top-level key', { ...statement, note: 'x' }, []],
    ['an unknown split key', withSplit(0, { note: 'x' }), ['splits', 0]],
    ['another format', { ...statement, format: 'tandem.attribution/2' }, ['format']],
    ['an unknown currency', { ...statement, currency: 'XXX' }, ['currency']],
    ['a bad close date', { ...statement, closeDate: '2026-02-30' }, ['closeDate']],
    ['an upper-case hash', { ...statement, previousHash: hash.toUpperCase() }, ['previousHash']],
    ['version 2 with no previous hash', { ...statement, previousHash: null }, ['previousHash']],
    ['version 1 with a previous hash', { ...statement, version: 1 }, ['previousHash']],
    [
      'a share moved between companies',
      withSplit(0, { amountMinor: 500_000 }),
      ['splits', 0, 'amountMinor'],
    ],
    ['a wrong sum of basis points', withSplit(1, { bps: 2499 }), ['splits']],
    ['a repeated company', withSplit(2, { companyId: 'co_mid' }), ['splits', 2, 'companyId']],
    [
      'splits out of order',
      { ...statement, splits: [1, 0, 2].map((i) => statement.splits[i]) },
      ['splits', 1, 'companyId'],
    ],
    [
      'a reporting amount that is not the conversion',
      withSplit(0, { reporting: { currency: 'BHD', rate: '0.377', amountMinor: 1_885_005 } }),
      ['splits', 0, 'reporting', 'amountMinor'],
    ],
    [
      'a reporting conversion beyond the safe integers',
      {
        ...statement,
        amountMinor: 9e15,
        splits: [
          {
            companyId: 'a',
            kind: 'sourced',
            bps: 10_000,
            amountMinor: 9e15,
            reporting: { currency: 'CLF', rate: '2', amountMinor: 0 },
          },
        ],
      },
      ['splits', 0, 'reporting', 'amountMinor'],
    ],
    [
      'a bad rate',
      withSplit(0, { reporting: { currency: 'BHD', rate: '1e3', amountMinor: 1 } }),
      ['splits', 0, 'reporting', 'rate'],
    ],
  ])('refuses %s with one issue, at the field at fault', (_, value, path) => {
    const issues = statementSchema.safeParse(value).error?.issues ?? [];
    expect(issues.map((issue) => issue.path)).toEqual([path]);
  });

  it('names the expected numbers in its cross-field issues', () => {
    const messages = (value: unknown) =>
      statementSchema.safeParse(value).error?.issues.map((issue) => issue.message);
    expect(messages(withSplit(0, { amountMinor: 500_000 }))).toEqual([
      'the largest-remainder share is 500001',
    ]);
    expect(
      messages(withSplit(2, { reporting: { currency: 'JPY', rate: '149.5', amountMinor: 1 } })),
    ).toEqual(['250000 at 149.5 is 373750']);
    expect(messages(withSplit(1, { bps: 2499 }))).toEqual([
      'basis points must sum to 10,000 (they sum to 9999)',
    ]);
  });

  it('reports only the bad field, not cross-field noise, when a field is invalid', () => {
    const issues = statementSchema.safeParse(
      withSplit(0, { reporting: { currency: 'BHD', rate: 'x', amountMinor: 1 } }),
    ).error?.issues;
    expect(issues).toHaveLength(1);
  });
});

describe('isCanonical', () => {
  const text = canonicalStatement(buildStatement(input));

  it('accepts the canonical text', () => {
    expect(isCanonical(text)).toBe(true);
    expect(text.startsWith('{"amountMinor"')).toBe(true);
    expect(JSON.parse(text)).toMatchObject({ format: statementFormat });
  });

  it.each([
    ['pretty-printed', JSON.stringify(JSON.parse(text), null, 2)],
    ['with a space after a colon', text.replace('"amountMinor":', '"amountMinor": ')],
    ['with a trailing newline', `${text}\n`],
    ['with reordered keys', JSON.stringify(reversed(JSON.parse(text)))],
    [
      'with a duplicate key',
      text.replace('{"amountMinor":1000001,', '{"amountMinor":1,"amountMinor":1000001,'),
    ],
    ['with a number not in shortest form', text.replace('"version":2', '"version":2.0')],
    ['with an escaped character that needs none', text.replace('deal_7Qx', 'deal_7\\u0051x')],
    ['not JSON', text.slice(0, -1)],
    ['empty', ''],
  ])('rejects the text %s', (_, json) => {
    expect(json).not.toBe(text);
    expect(isCanonical(json)).toBe(false);
  });

  it('agrees with canonicalJson on any JSON value', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        expect(isCanonical(canonicalJson(value))).toBe(true);
      }),
    );
  });
});
