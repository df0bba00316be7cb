import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { businessDatesSchema, businessDateIssues } from './business-dates.ts';

const day = 86_400_000;
const now = Date.parse('2026-12-01T12:00:00Z');
const iso = (t: number) => new Date(t).toISOString();

/** A consistent history: created, stage moves and a close, in order, all in the past. */
const history = fc
  .array(fc.integer({ min: 0, max: 2 * 365 * day }), { minLength: 2, maxLength: 8 })
  .map((offsets) => offsets.map((o) => now - o).sort((a, b) => a - b));

describe('business dates', () => {
  it('accept any history whose dates are past, in order and between created and closed', () => {
    fc.assert(
      fc.property(history, (times) => {
        const created = times[0]!;
        const closed = times.at(-1)!;
        const issues = businessDateIssues(
          {
            createdAt: iso(created),
            closedAt: iso(closed),
            stages: times.map((t) => ({ stage: 'qualified' as const, at: iso(t) })),
          },
          { stage: 'won', closeDate: iso(closed).slice(0, 10) },
          now,
        );
        expect(issues).toEqual([]);
      }),
    );
  });

  it('name the stage that comes before the one listed above it', () => {
    fc.assert(
      fc.property(history, fc.nat(), (times, pick) => {
        const n = 1 + (pick % (times.length - 1));
        fc.pre(times[n - 1]! < times[n]!);
        const stages = times.map((t) => ({ stage: 'qualified' as const, at: iso(t) }));
        [stages[n - 1], stages[n]] = [stages[n]!, stages[n - 1]!];
        const paths = businessDateIssues({ stages }, { stage: 'qualified' }, now).map(
          (i) => i.path,
        );
        expect(paths).toEqual([`businessDates.stages.${n}.at`]);
      }),
    );
  });

  it('refuse a date in the future, however near', () => {
    const issues = businessDateIssues({ createdAt: iso(now + 1000) }, { stage: 'prospect' }, now);
    expect(issues.map((i) => i.path)).toEqual(['businessDates.createdAt']);
  });

  it('read a bare day as midnight UTC and keep an offset date-time as the same instant', () => {
    const parsed = businessDatesSchema.parse({
      createdAt: '2025-03-04',
      closedAt: '2025-06-01T09:30:00+02:00',
    });
    expect(parsed).toEqual({
      createdAt: '2025-03-04T00:00:00.000Z',
      closedAt: '2025-06-01T07:30:00.000Z',
    });
    expect(businessDatesSchema.safeParse({ createdAt: '03/04/2025' }).success).toBe(false);
  });
});
