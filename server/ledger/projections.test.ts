import { describe, expect, it } from 'vitest';
import type { Executor } from '../store/db.ts';
import type { LedgerEvent } from './ledger-event.ts';
import { project, registerProjector, type Projector } from './projections.ts';

const db = {} as Executor;

function event(type: string): LedgerEvent {
  return {
    seq: 1,
    dealId: 'opp_1',
    dealSeq: 1,
    type,
    actor: { companyId: 'co_a', kind: 'member', id: 'mem_a' },
    privateTo: null,
    at: '2026-12-01T00:00:00.000Z',
    data: {},
    hash: 'h',
  };
}

function recorder(): { projector: Projector; seen: string[] } {
  const seen: string[] = [];
  return { projector: async (_db, e) => void seen.push(e.type), seen };
}

describe('the ledger projections', () => {
  it('hand an event to the projector that claims its type, or its prefix', async () => {
    const exact = recorder();
    const prefixed = recorder();
    registerProjector('kite.flown', exact.projector);
    registerProjector('kite.', prefixed.projector);
    await project(db, event('kite.flown'));
    await project(db, event('kite.landed'));
    expect(exact.seen).toEqual(['kite.flown']);
    expect(prefixed.seen).toEqual(['kite.landed']);
  });

  it('refuse an event type no projector claims', async () => {
    await expect(project(db, event('balloon.popped'))).rejects.toThrow(
      /no projector claims ledger event type balloon\.popped/,
    );
  });

  it('take the same registration twice but refuse a second projector for a claim', () => {
    const first = recorder().projector;
    registerProjector('sail.set', first);
    expect(() => registerProjector('sail.set', first)).not.toThrow();
    expect(() => registerProjector('sail.set', recorder().projector)).toThrow(/already has/);
  });
});
