import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  isBackward,
  lostReasons,
  openStages,
  stageRuleIssues,
  stages,
  statusOfStage,
  type Stage,
} from './stages.ts';

const stage = fc.constantFrom(...stages);
const isOpen = (s: Stage) => (openStages as readonly Stage[]).includes(s);

describe('stages', () => {
  it('orders the open stages before won and lost', () => {
    expect(stages.slice(0, openStages.length)).toEqual([...openStages]);
    expect(stages.map(statusOfStage)).toEqual([
      'open',
      'open',
      'open',
      'open',
      'open',
      'won',
      'lost',
    ]);
  });

  it('calls a move backward exactly when it goes to an earlier open stage or reopens', () => {
    fc.assert(
      fc.property(stage, stage, (from, to) => {
        const expected = isOpen(to) && (!isOpen(from) || stages.indexOf(to) < stages.indexOf(from));
        expect(isBackward(from, to)).toBe(expected);
      }),
    );
  });

  it('never calls both directions of a move backward, and staying put is never backward', () => {
    fc.assert(
      fc.property(stage, stage, (a, b) => {
        expect(isBackward(a, b) && isBackward(b, a)).toBe(false);
        expect(isBackward(a, a)).toBe(false);
        if (isOpen(a) && isOpen(b) && a !== b)
          expect(isBackward(a, b) || isBackward(b, a)).toBe(true);
      }),
    );
  });

  it.each<[Stage, Stage, boolean]>([
    ['qualified', 'prospect', true],
    ['prospect', 'committed', false],
    ['won', 'committed', true],
    ['lost', 'prospect', true],
    ['committed', 'lost', false],
    ['won', 'lost', false],
  ])('isBackward(%s, %s) is %s', (from, to, backward) => {
    expect(isBackward(from, to)).toBe(backward);
  });

  it('has the 15 ACE lost reasons as unique snake_case ids', () => {
    expect(lostReasons).toHaveLength(15);
    expect(new Set(lostReasons).size).toBe(15);
    for (const r of lostReasons) expect(r).toMatch(/^[a-z]+(_[a-z]+)*$/);
  });
});

describe('stageRuleIssues', () => {
  const maybeDate = fc.constantFrom(undefined, null, '', '2026-03-31');
  const maybeReason = fc.constantFrom(undefined, null, '', 'price');

  it('finds an issue exactly when a rule is broken, at the field that breaks it', () => {
    fc.assert(
      fc.property(stage, maybeDate, maybeReason, (s, closeDate, lostReason) => {
        const paths = stageRuleIssues({ stage: s, closeDate, lostReason }).map((i) => i.path);
        const closed = !isOpen(s);
        expect(paths.includes('closeDate')).toBe(closed && !closeDate);
        expect(paths.includes('lostReason')).toBe(s === 'lost' ? !lostReason : !!lostReason);
      }),
    );
  });

  it('accepts an open deal without close fields and a consistent lost deal', () => {
    expect(stageRuleIssues({ stage: 'prospect' })).toEqual([]);
    expect(
      stageRuleIssues({ stage: 'lost', closeDate: '2026-01-31', lostReason: 'price' }),
    ).toEqual([]);
    expect(stageRuleIssues({ stage: 'won', closeDate: '2026-01-31', lostReason: null })).toEqual(
      [],
    );
  });

  it('explains each broken rule', () => {
    expect(stageRuleIssues({ stage: 'lost' })).toEqual([
      { path: 'closeDate', message: 'a lost deal needs a closeDate' },
      { path: 'lostReason', message: 'a lost deal needs a lostReason' },
    ]);
    expect(stageRuleIssues({ stage: 'qualified', lostReason: 'price' })).toEqual([
      { path: 'lostReason', message: 'only a lost deal has a lostReason' },
    ]);
  });
});
