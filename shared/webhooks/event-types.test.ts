import { describe, expect, it } from 'vitest';
import { eventTypePattern, matchesEventType } from './event-types.ts';

describe('event type patterns', () => {
  it('match exact types, prefixes with .*, and everything with *', () => {
    expect(matchesEventType(['opportunity.updated'], 'opportunity.updated')).toBe(true);
    expect(matchesEventType(['opportunity.updated'], 'opportunity.created')).toBe(false);
    expect(matchesEventType(['opportunity.*'], 'opportunity.created')).toBe(true);
    expect(matchesEventType(['opportunity.*'], 'opportunityx.created')).toBe(false);
    expect(matchesEventType(['doc.*'], 'doc.updated')).toBe(true);
    expect(matchesEventType(['*'], 'anything.new')).toBe(true);
    expect(matchesEventType([], 'opportunity.created')).toBe(false);
  });

  it('accepts only well-formed patterns', () => {
    for (const ok of ['*', 'opportunity.*', 'step.added', 'attribution.sealed', 'doc.*'])
      expect(eventTypePattern.test(ok), ok).toBe(true);
    for (const bad of ['', 'opp*', '*.created', 'Opportunity.created', 'a..b', 'a.*.b'])
      expect(eventTypePattern.test(bad), bad).toBe(false);
  });
});
