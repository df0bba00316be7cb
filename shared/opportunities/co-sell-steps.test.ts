import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { plays, stepInputSchema, stepPatchSchema, stepStatuses } from './co-sell-steps.ts';

const step = { play: 'intro', ownerCompanyId: 'cmp_1' };

describe('stepInputSchema', () => {
  it('parses a minimal step with status todo', () => {
    expect(stepInputSchema.parse(step)).toEqual({ ...step, status: 'todo' });
  });

  it('parses every valid step', () => {
    fc.assert(
      fc.property(
        fc.record(
          {
            play: fc.constantFrom(...plays),
            ownerCompanyId: fc.string({ minLength: 1, maxLength: 100 }),
            ownerPerson: fc.option(fc.string({ maxLength: 200 }), { nil: null }),
            dueDate: fc.option(fc.constantFrom('2026-01-31', '2028-02-29'), { nil: null }),
            status: fc.constantFrom(...stepStatuses),
            outcome: fc.option(fc.string({ maxLength: 2000 }), { nil: null }),
            title: fc.string({ maxLength: 200 }),
          },
          { requiredKeys: ['play', 'ownerCompanyId'] },
        ),
        (input) => {
          const parsed = stepInputSchema.parse(input);
          expect(parsed.play).toBe(input.play);
          expect(parsed.status).toBe(input.status ?? 'todo');
        },
      ),
    );
  });

  it('trims the owner person, outcome and title', () => {
    expect(
      stepInputSchema.parse({
        ...step,
        ownerPerson: ' Ann ',
        outcome: ' ok ',
        title: ' Kick-off ',
      }),
    ).toMatchObject({ ownerPerson: 'Ann', outcome: 'ok', title: 'Kick-off' });
  });

  it.each([
    [{ play: 'lunch' }, ['play']],
    [{ ownerCompanyId: '' }, ['ownerCompanyId']],
    [{ dueDate: '2027-02-29' }, ['dueDate']],
    [{ status: 'blocked' }, ['status']],
    [{ outcome: 'x'.repeat(2001) }, ['outcome']],
    [{ title: 'x'.repeat(201) }, ['title']],
    [{ ownerPerson: 'x'.repeat(201) }, ['ownerPerson']],
  ])('refuses %j at %j', (change, path) => {
    const issues = stepInputSchema.safeParse({ ...step, ...change }).error?.issues;
    expect(issues?.map((i) => i.path)).toEqual([path]);
  });

  it('refuses a step without play or owner, and unknown keys', () => {
    expect(stepInputSchema.safeParse({}).error?.issues.map((i) => i.path)).toEqual([
      ['play'],
      ['ownerCompanyId'],
    ]);
    expect(stepInputSchema.safeParse({ ...step, priority: 1 }).error?.issues).toEqual([
      expect.objectContaining({ code: 'unrecognized_keys', keys: ['priority'] }),
    ]);
  });
});

describe('stepPatchSchema', () => {
  it('takes any subset of fields without defaults', () => {
    expect(stepPatchSchema.parse({})).toEqual({});
    expect(stepPatchSchema.parse({ status: 'done', outcome: 'signed' })).toEqual({
      status: 'done',
      outcome: 'signed',
    });
    expect(stepPatchSchema.parse({ ownerCompanyId: 'cmp_2', dueDate: null })).toEqual({
      ownerCompanyId: 'cmp_2',
      dueDate: null,
    });
  });

  it('refuses unknown keys and bad values', () => {
    expect(stepPatchSchema.safeParse({ id: 'stp_1' }).success).toBe(false);
    expect(stepPatchSchema.safeParse({ status: 'blocked' }).success).toBe(false);
    expect(stepPatchSchema.safeParse({ ownerCompanyId: '' }).success).toBe(false);
  });
});
