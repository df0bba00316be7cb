import fc from 'fast-check';
import * as Y from 'yjs';
import { describe, expect, it } from 'vitest';
import { opportunityFieldsSchema } from '../opportunities/opportunity-fields.ts';
import { addStep, docFieldKeys, fieldsMap, notesText, planArray, writeFields } from './deal-doc.ts';
import { checkDealDoc } from './doc-validation.ts';

const valid = {
  title: 'Data platform',
  customer: { name: 'Initech', domain: 'initech.example' },
  amountMinor: 120_000,
  currency: 'EUR',
  stage: 'qualified',
};

function docWith(fields: Record<string, unknown>): Y.Doc {
  const doc = new Y.Doc();
  writeFields(doc, fields);
  return doc;
}

const anyValue = fc.oneof(
  fc.string({ maxLength: 12 }),
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.constantFrom('won', 'lost', 'prospect', 'USD', 'XXX', '2026-01-31', 'not a date'),
  fc.array(fc.string({ maxLength: 5 }), { maxLength: 3 }),
);

describe('checkDealDoc', () => {
  it('accepts a document exactly when the API schema accepts its fields', () => {
    fc.assert(
      fc.property(fc.constantFrom(...docFieldKeys), anyValue, (key, value) => {
        const fields = { ...valid, [key]: value };
        const check = checkDealDoc(docWith(fields));
        // The document holds JSON (a non-finite number becomes null), so compare with that.
        const json = JSON.parse(JSON.stringify(fields)) as Record<string, unknown>;
        const sent = Object.fromEntries(Object.entries(json).filter(([, v]) => v !== null));
        expect(check.ok).toBe(opportunityFieldsSchema.safeParse(sent).success);
        if (!check.ok)
          expect(check.issues.every((i) => /^(fields\.|notes)/.test(i.path))).toBe(true);
      }),
      { numRuns: 500 },
    );
  });

  it('refuses any key outside the layout, naming it', () => {
    fc.assert(
      fc.property(
        fc
          .string({ minLength: 1, maxLength: 10 })
          .filter((k) => !(docFieldKeys as readonly string[]).includes(k)),
        anyValue,
        (key, value) => {
          const doc = docWith(valid);
          fieldsMap(doc).set(key, value ?? 'x');
          const check = checkDealDoc(doc);
          expect(check.ok).toBe(false);
          if (!check.ok)
            expect(check.issues).toContainEqual({
              path: `fields.${key}`,
              message: 'unknown field',
            });
        },
      ),
    );
  });

  it('checks every step of the plan and refuses an id used twice', () => {
    const doc = docWith(valid);
    const step = {
      id: 'stp_abcdefgh12',
      play: 'discovery',
      title: null,
      ownerCompanyId: 'cmp_a',
      ownerPerson: null,
      dueDate: null,
      status: 'todo',
      outcome: null,
    };
    addStep(doc, step);
    expect(checkDealDoc(doc).ok).toBe(true);
    addStep(doc, step);
    addStep(doc, { ...step, id: 'stp_other12345', status: 'finished' });
    planArray(doc).push([new Y.Map()]);
    const check = checkDealDoc(doc);
    expect(check.ok).toBe(false);
    if (!check.ok) {
      const paths = check.issues.map((i) => i.path);
      expect(paths).toContain('plan.1.id');
      expect(paths).toContain('plan.2.status');
      expect(paths).toContain('plan.3.id');
    }
  });
  it('refuses an unpaired surrogate in the notes, a field or a step', () => {
    const pathsOf = (doc: Y.Doc) => {
      const check = checkDealDoc(doc);
      return check.ok ? [] : check.issues.map((i) => i.path);
    };
    const inNotes = docWith(valid);
    notesText(inNotes).insert(0, 'half \uD83D');
    expect(pathsOf(inNotes)).toEqual(['notes']);
    const inField = docWith({ ...valid, nextStep: 'call \uDC00' });
    expect(pathsOf(inField)).toEqual(['fields.nextStep']);
  });
});
