import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { currencyCodes } from '../money/currencies.ts';
import {
  helpNeeds,
  mergePatch,
  motions,
  opportunityFieldsSchema,
  opportunityPatchSchema,
  segments,
  summaryFields,
  toSummary,
  type OpportunityFields,
} from './opportunity-fields.ts';
import { lostReasons, stages, statusOfStage } from './stages.ts';

const word = fc.stringMatching(/^[a-z0-9]{1,12}$/);
const text = (max: number) =>
  fc.string({ minLength: 1, maxLength: max }).filter((s) => s.trim().length > 0);
const host = fc
  .tuple(fc.array(word, { minLength: 1, maxLength: 3 }), fc.constantFrom('com', 'de', 'io'))
  .map(([labels, top]) => [...labels, top].join('.'));
const isoDay = fc
  .date({ min: new Date('2000-01-01'), max: new Date('2099-12-31'), noInvalidDate: true })
  .map((d) => d.toISOString().slice(0, 10));
const absent = fc.constantFrom(undefined, null);

const contact = fc.record(
  {
    name: text(50),
    email: fc.tuple(word, host).map(([local, h]) => `${local}@${h}`),
    title: fc.string({ maxLength: 50 }),
    phone: fc.stringMatching(/^\+?[0-9 ]{0,20}$/),
  },
  { requiredKeys: ['name', 'email'] },
);

const customer = fc.record(
  {
    name: text(200),
    domain: fc.tuple(fc.constantFrom('', 'https://', 'HTTP://www.'), host).map(([p, h]) => p + h),
    country: fc.stringMatching(/^[a-zA-Z]{2}$/),
    segment: fc.constantFrom(...segments),
    industry: text(100),
  },
  { requiredKeys: ['name'] },
);

const stageFields = fc.constantFrom(...stages).chain((stage) => {
  const status = statusOfStage(stage);
  return fc.record({
    stage: fc.constant(stage),
    closeDate: status === 'open' ? fc.option(isoDay, { nil: undefined }) : isoDay,
    lostReason: status === 'lost' ? fc.constantFrom(...lostReasons) : absent,
  });
});

/** Valid create inputs, with optional fields present or not. */
const validInput = fc
  .tuple(
    fc.record(
      {
        title: text(255),
        customer,
        amountMinor: fc.maxSafeNat(),
        currency: fc.constantFrom(...currencyCodes),
        expectedCloseDate: fc.option(isoDay, { nil: null }),
        products: fc.array(text(100), { maxLength: 5 }),
        motion: fc.constantFrom(...motions),
        nextStep: fc.option(fc.string({ maxLength: 255 }), { nil: null }),
        helpRequested: fc.subarray([...helpNeeds]),
        contacts: fc.array(contact, { maxLength: 3 }),
        notes: fc.string({ maxLength: 300 }),
      },
      { requiredKeys: ['title', 'customer', 'amountMinor', 'currency'] },
    ),
    stageFields,
  )
  .map(([base, s]) => ({ ...base, ...s }));

const minimal = {
  title: 'Data platform',
  customer: { name: 'Acme' },
  amountMinor: 0,
  currency: 'USD',
};

function issuesOf(input: unknown) {
  const result = opportunityFieldsSchema.safeParse(input);
  expect(result.success).toBe(false);
  return result.error?.issues ?? [];
}

describe('opportunityFieldsSchema', () => {
  it('parses every valid input, and its output parses to itself', () => {
    fc.assert(
      fc.property(validInput, (input) => {
        const parsed = opportunityFieldsSchema.parse(input);
        expect(opportunityFieldsSchema.parse(parsed)).toEqual(parsed);
        expect(parsed.customer.country ?? 'XX').toMatch(/^[A-Z]{2}$/);
        if (parsed.customer.domain !== undefined)
          expect(parsed.customer.domain).not.toMatch(/^www\.|\//);
      }),
    );
  });

  it('fills the defaults', () => {
    expect(opportunityFieldsSchema.parse(minimal)).toEqual({
      ...minimal,
      stage: 'prospect',
      products: [],
      motion: 'co_sell',
      helpRequested: [],
      contacts: [],
      notes: '',
    });
  });

  it('does not share default arrays between parses', () => {
    const a = opportunityFieldsSchema.parse(minimal);
    a.products.push('mutated');
    expect(opportunityFieldsSchema.parse(minimal).products).toEqual([]);
  });

  it('normalizes the customer domain and country', () => {
    const parsed = opportunityFieldsSchema.parse({
      ...minimal,
      customer: { name: ' Acme ', domain: 'HTTPS://WWW.Acme.com/about', country: 'de' },
    });
    expect(parsed.customer).toEqual({ name: 'Acme', domain: 'acme.com', country: 'DE' });
  });

  it('refuses a domain that is not one, at customer.domain', () => {
    expect(issuesOf({ ...minimal, customer: { name: 'Acme', domain: 'localhost' } })).toEqual([
      expect.objectContaining({ path: ['customer', 'domain'], message: 'not a valid domain' }),
    ]);
  });

  it('refuses negative, fractional and unsafe amounts at amountMinor', () => {
    const badAmount = fc.oneof(
      fc.integer({ max: -1 }),
      fc.double({ noNaN: true, noDefaultInfinity: true }).filter((n) => !Number.isInteger(n)),
      fc.double({ min: Number.MAX_SAFE_INTEGER + 1, noNaN: true }),
      fc.constantFrom(NaN, Infinity, -Infinity, '100', null),
    );
    fc.assert(
      fc.property(badAmount, (amountMinor) => {
        const issues = issuesOf({ ...minimal, amountMinor });
        expect(issues.length).toBeGreaterThan(0);
        for (const issue of issues) {
          expect(issue.path).toEqual(['amountMinor']);
          expect(issue.message).toBe('an integer number of minor units, e.g. cents');
        }
      }),
    );
  });

  it('accepts the largest safe integer amount', () => {
    const amountMinor = Number.MAX_SAFE_INTEGER;
    expect(opportunityFieldsSchema.parse({ ...minimal, amountMinor }).amountMinor).toBe(
      amountMinor,
    );
  });

  it('refuses unknown keys, naming them at their parent path', () => {
    const known = new Set(Object.keys(opportunityFieldsSchema.shape));
    fc.assert(
      fc.property(
        fc.string({ minLength: 1 }).filter((k) => !known.has(k) && k !== '__proto__'),
        fc.constantFrom<(string | number)[]>([], ['customer'], ['contacts', 0]),
        (key, at) => {
          const input = structuredClone({
            ...minimal,
            contacts: [{ name: 'Ann', email: 'ann@acme.com' }],
          });
          const target = at.reduce<Record<string, unknown>>(
            (obj, seg) => obj[seg] as Record<string, unknown>,
            input as unknown as Record<string, unknown>,
          );
          if (at.length > 0 && Object.hasOwn(target, key)) return;
          target[key] = 1;
          expect(issuesOf(input)).toEqual([
            expect.objectContaining({ code: 'unrecognized_keys', keys: [key], path: at }),
          ]);
        },
      ),
    );
  });

  it('refuses a won deal without closeDate at closeDate', () => {
    fc.assert(
      fc.property(validInput, absent, (input, closeDate) => {
        const issues = issuesOf({ ...input, stage: 'won', closeDate, lostReason: null });
        expect(issues.map((i) => i.path)).toEqual([['closeDate']]);
      }),
    );
  });

  it('refuses a lost deal without lostReason, and a lostReason on an open deal', () => {
    expect(issuesOf({ ...minimal, stage: 'lost', closeDate: '2026-02-01' })).toEqual([
      expect.objectContaining({ path: ['lostReason'], message: 'a lost deal needs a lostReason' }),
    ]);
    expect(issuesOf({ ...minimal, stage: 'qualified', lostReason: 'price' })).toEqual([
      expect.objectContaining({ path: ['lostReason'] }),
    ]);
  });

  it.each([
    [{ title: '   ' }, ['title']],
    [{ currency: 'usd' }, ['currency']],
    [{ expectedCloseDate: '2026-02-30' }, ['expectedCloseDate']],
    [{ nextStep: 'x'.repeat(256) }, ['nextStep']],
    [{ helpRequested: ['do_not_need_support'] }, ['helpRequested', 0]],
    [{ products: Array.from({ length: 51 }, () => 'p') }, ['products']],
    [{ contacts: [{ name: 'Ann', email: 'not-an-email' }] }, ['contacts', 0, 'email']],
    [{ customer: { name: 'Acme', country: 'DEU' } }, ['customer', 'country']],
  ])('refuses %j at %j', (change, path) => {
    expect(issuesOf({ ...minimal, ...change }).map((i) => i.path)).toEqual([path]);
  });
});

describe('opportunityPatchSchema', () => {
  it('takes an empty patch as no change, without defaults', () => {
    expect(opportunityPatchSchema.parse({})).toEqual({});
  });

  it('leaves the stage rules to the merged result', () => {
    expect(opportunityPatchSchema.parse({ stage: 'won' })).toEqual({ stage: 'won' });
  });

  it('refuses unknown keys, also inside customer', () => {
    expect(opportunityPatchSchema.safeParse({ status: 'won' }).error?.issues).toEqual([
      expect.objectContaining({ code: 'unrecognized_keys', keys: ['status'], path: [] }),
    ]);
    expect(opportunityPatchSchema.safeParse({ customer: { size: 5 } }).error?.issues).toEqual([
      expect.objectContaining({ code: 'unrecognized_keys', keys: ['size'], path: ['customer'] }),
    ]);
  });

  it('validates the fields it carries', () => {
    const issues = opportunityPatchSchema.safeParse({ amountMinor: 1.5, customer: { domain: 'x' } })
      .error?.issues;
    expect(issues?.map((i) => i.path)).toEqual([['customer', 'domain'], ['amountMinor']]);
  });
});

describe('mergePatch', () => {
  const current: OpportunityFields = opportunityFieldsSchema.parse({
    ...minimal,
    customer: { name: 'Acme', domain: 'acme.com', country: 'DE', industry: 'Retail' },
    products: ['warehouse'],
  });

  it('merges customer fields one by one and replaces everything else', () => {
    const patch = opportunityPatchSchema.parse({
      customer: { country: 'fr', industry: null },
      products: ['lakehouse'],
      nextStep: null,
    });
    expect(mergePatch(current, patch)).toEqual({
      ...current,
      customer: { name: 'Acme', domain: 'acme.com', country: 'FR' },
      products: ['lakehouse'],
      nextStep: null,
    });
  });

  it('changes nothing for an empty patch and shares nothing with its arguments', () => {
    const merged = mergePatch(current, {});
    expect(merged).toEqual(current);
    merged.products.push('x');
    merged.customer.name = 'Other';
    expect(current.products).toEqual(['warehouse']);
    expect(current.customer.name).toBe('Acme');
  });

  it('gives a result that parses when the patch keeps the stage rules', () => {
    fc.assert(
      fc.property(validInput, validInput, (a, b) => {
        const fields = opportunityFieldsSchema.parse(a);
        const patch = opportunityPatchSchema.parse(b);
        const merged = mergePatch(fields, patch);
        expect(opportunityFieldsSchema.parse(merged)).toEqual(merged);
        expect(merged.customer.name).toBe(patch.customer?.name);
      }),
    );
  });

  it('clears the lostReason when a patch reopens a lost deal without naming it', () => {
    const lost = mergePatch(current, {
      stage: 'lost',
      closeDate: '2026-01-31',
      lostReason: 'price',
    });
    expect(opportunityFieldsSchema.parse(lost).lostReason).toBe('price');
    expect(mergePatch(lost, { stage: 'qualified' })).toMatchObject({
      stage: 'qualified',
      lostReason: null,
      closeDate: '2026-01-31',
    });
    expect(mergePatch(lost, { notes: 'still lost' }).lostReason).toBe('price');
    expect(mergePatch(lost, { stage: 'qualified', lostReason: 'price' }).lostReason).toBe('price');
  });

  it('lets the merged result fail the stage rules for the server to refuse', () => {
    const merged = mergePatch(current, { stage: 'won' });
    expect(opportunityFieldsSchema.safeParse(merged).error?.issues.map((i) => i.path)).toEqual([
      ['closeDate'],
    ]);
  });
});

describe('toSummary', () => {
  it('returns exactly the summary fields', () => {
    fc.assert(
      fc.property(validInput, (input) => {
        const fields = opportunityFieldsSchema.parse(input);
        const summary = toSummary(fields);
        const paths = [
          ...Object.keys(summary).filter((k) => k !== 'customer'),
          ...Object.keys(summary.customer).map((k) => `customer.${k}`),
        ];
        const expected = summaryFields.filter(
          (f) => f !== 'customer.industry' || fields.customer.industry !== undefined,
        );
        expect(paths.sort()).toEqual([...expected].sort());
      }),
    );
  });

  it('copies the values it shows', () => {
    const fields = opportunityFieldsSchema.parse({
      ...minimal,
      customer: { name: 'Acme', industry: 'Retail', domain: 'acme.com' },
      helpRequested: ['deal_support'],
      notes: 'private until accepted',
    });
    expect(toSummary(fields)).toEqual({
      title: 'Data platform',
      customer: { name: 'Acme', industry: 'Retail' },
      stage: 'prospect',
      motion: 'co_sell',
      helpRequested: ['deal_support'],
    });
  });
});
