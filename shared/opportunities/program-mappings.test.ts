import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  aceStages,
  fieldMappings,
  fromAceLostReason,
  fromAceStage,
  fromMicrosoftStatus,
  isAceStage,
  microsoftSubstatuses,
  toAceLostReason,
  toAceStage,
  toMicrosoftStatus,
  type MicrosoftStatus,
} from './program-mappings.ts';
import { lostReasons, stages, statusOfStage, type Stage } from './stages.ts';

describe('AWS ACE mapping', () => {
  it.each(stages)('round-trips the stage %s through ACE', (stage) => {
    expect(fromAceStage(toAceStage(stage))).toBe(stage);
  });

  it('maps every ACE stage to a distinct stage of ours, in the same order', () => {
    expect(stages.map(toAceStage)).toEqual([...aceStages]);
    expect(toAceStage('won')).toBe('Launched');
    expect(toAceStage('lost')).toBe('Closed Lost');
    for (const s of aceStages) expect(toAceStage(fromAceStage(s))).toBe(s);
  });

  it('recognizes ACE stage strings exactly', () => {
    expect(isAceStage('Technical Validation')).toBe(true);
    expect(isAceStage('technical validation')).toBe(false);
    expect(isAceStage('Won')).toBe(false);
  });

  it.each(lostReasons)('round-trips the lost reason %s through ACE', (reason) => {
    expect(fromAceLostReason(toAceLostReason(reason))).toBe(reason);
  });

  it('sends the values the ACE API lists', () => {
    expect(toAceLostReason('delay_or_cancellation')).toBe('Delay / Cancellation of Project');
    expect(toAceLostReason('lost_to_competitor')).toBe('Lost to Competitor - Other');
    expect(toAceLostReason('people_relationship_governance')).toBe(
      'People/Relationship/Governance',
    );
  });

  it.each([
    ['Lost to Competitor - Google', 'lost_to_competitor'],
    ['Lost to Competitor - VMWare', 'lost_to_competitor'],
    ['Lost to Competitor—Microsoft', 'lost_to_competitor'],
    ['Lost to Competitor', 'lost_to_competitor'],
    ['Delay/Cancellation of Project', 'delay_or_cancellation'],
    ['security/compliance', 'security_compliance'],
    ['Something ACE added later', 'other'],
    ['', 'other'],
  ])('reads the ACE reason %j as %s', (ace, ours) => {
    expect(fromAceLostReason(ace)).toBe(ours);
  });
});

describe('Microsoft referral mapping', () => {
  const validPairs = Object.entries(microsoftSubstatuses).flatMap(([status, subs]) =>
    subs.map((substatus) => [status as MicrosoftStatus, substatus] as const),
  );

  it.each(stages)('round-trips the status of %s through Microsoft', (stage) => {
    for (const participant of [undefined, 'accepted'] as const) {
      const ms = toMicrosoftStatus(stage, participant);
      const back = fromMicrosoftStatus(ms.status, ms.substatus);
      expect(back.status).toBe(statusOfStage(stage));
      if (back.status !== 'open') expect(back.stage).toBe(stage);
      else expect(back.stage).toBeUndefined();
    }
  });

  it('only produces substatuses allowed for the status', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...stages),
        fc.constantFrom(undefined, 'invited', 'accepted', 'declined'),
        (stage: Stage, participant) => {
          const { status, substatus } = toMicrosoftStatus(stage, participant);
          expect(microsoftSubstatuses[status] as readonly string[]).toContain(substatus);
        },
      ),
    );
  });

  it('shows invitations and declines as Microsoft does', () => {
    expect(toMicrosoftStatus('qualified', 'invited')).toEqual({
      status: 'New',
      substatus: 'Received',
    });
    expect(toMicrosoftStatus('won', 'invited')).toEqual({ status: 'Closed', substatus: 'Expired' });
    expect(toMicrosoftStatus('prospect', 'declined')).toEqual({
      status: 'Closed',
      substatus: 'Declined',
    });
    expect(toMicrosoftStatus('committed')).toEqual({ status: 'Active', substatus: 'Accepted' });
  });

  it('reads every Microsoft status and substatus', () => {
    expect(validPairs).toHaveLength(7);
    const read = Object.fromEntries(
      validPairs.map(([s, sub]) => [`${s}/${sub}`, fromMicrosoftStatus(s, sub)]),
    );
    expect(read).toEqual({
      'New/Pending': { status: 'open' },
      'New/Received': { status: 'open' },
      'Active/Accepted': { status: 'open' },
      'Closed/Won': { stage: 'won', status: 'won' },
      'Closed/Lost': { stage: 'lost', status: 'lost' },
      'Closed/Declined': { status: 'lost' },
      'Closed/Expired': { status: 'lost' },
    });
  });

  it('reads case-insensitively and refuses an unknown status', () => {
    expect(fromMicrosoftStatus('closed', 'won')).toEqual({ stage: 'won', status: 'won' });
    expect(fromMicrosoftStatus('Closed', 'Whatever')).toEqual({ status: 'lost' });
    expect(() => fromMicrosoftStatus('Archived', 'Won')).toThrow(
      /unknown Microsoft referral status/,
    );
  });
});

describe('fieldMappings', () => {
  it('covers each shared field once, with an ACE path for each', () => {
    const fields = fieldMappings.map((m) => m.field);
    expect(fields).toEqual([
      'title',
      'customer.name',
      'customer.domain',
      'customer.country',
      'customer.industry',
      'amountMinor+currency',
      'stage',
      'expectedCloseDate',
      'nextStep',
      'lostReason',
      'externalRef',
    ]);
    for (const m of fieldMappings) expect(m.ace.length).toBeGreaterThan(0);
    expect(fieldMappings.find((m) => m.field === 'stage')).toMatchObject({
      ace: 'LifeCycle.Stage',
      microsoft: 'Status/Substatus',
    });
  });
});
