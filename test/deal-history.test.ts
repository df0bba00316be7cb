import { describe, expect, it } from 'vitest';
import { notesText } from '../shared/sync/deal-doc.ts';
import { textDiff } from '../server/opportunities/deal-history.ts';
import { sharedDeal } from './kit/fixtures.ts';
import { roomSuite } from './kit/room-suite.ts';
import { eventually } from './kit/sync-client.ts';

// A deal's history says which field changed from what to what (server/opportunities/deal-history.ts):
// the ledger's update events carry only the new values.

const room = roomSuite();

describe("a deal's history", () => {
  it('gives each API change of a field from what to what, the customer field by field', async () => {
    const dealId = await sharedDeal(room.world, 'Readable', { amountMinor: 500_000 });
    const { a, b } = room.world;
    await a.opportunities.update.mutate({
      id: dealId,
      patch: { stage: 'qualified', amountMinor: 750_000, customer: { name: 'Initech AG' } },
    });
    await b.opportunities.update.mutate({ id: dealId, patch: { nextStep: 'Workshop' } });
    await b.opportunities.update.mutate({ id: dealId, patch: { nextStep: null } });
    const { history } = await b.opportunities.get.query({ id: dealId });
    const updates = history.filter((e) => e.type === 'opportunity.updated');
    expect(updates).toHaveLength(3);
    expect(updates[0]!.changes).toHaveLength(3);
    expect(updates[0]!.changes).toEqual(
      expect.arrayContaining([
        { field: 'amountMinor', from: 500_000, to: 750_000 },
        { field: 'customer.name', from: 'Initech', to: 'Initech AG' },
        { field: 'stage', from: 'prospect', to: 'qualified' },
      ]),
    );
    expect(updates[1]!.changes).toEqual([{ field: 'nextStep', from: null, to: 'Workshop' }]);
    expect(updates[2]!.changes).toEqual([{ field: 'nextStep', from: 'Workshop', to: null }]);
    // Other events carry none.
    expect(history.find((e) => e.type === 'opportunity.created')!.changes).toBeUndefined();
  });

  it('gives a step change from what to what', async () => {
    const dealId = await sharedDeal(room.world, 'Plan history');
    const { a } = room.world;
    const step = await a.steps.add.mutate({
      dealId,
      step: { play: 'discovery', ownerCompanyId: room.world.acme.id, title: 'Discovery call' },
    });
    await a.steps.update.mutate({ dealId, stepId: step.id, patch: { status: 'done' } });
    const { history } = await a.opportunities.get.query({ id: dealId });
    const updated = history.find((e) => e.type === 'step.updated')!;
    expect(updated.changes).toEqual([{ field: 'status', from: step.status, to: 'done' }]);
  });

  it('sums notes typed in a room as characters added and removed, with the words added', async () => {
    const dealId = await sharedDeal(room.world, 'Notes history');
    const alice = room.join(dealId, await room.world.acme.memberToken('alliance'));
    await alice.synced;
    const typed = 'Call the CFO';
    for (const [n, char] of [...typed].entries()) {
      notesText(alice.doc).insert(n, char);
      await new Promise((resolve) => setTimeout(resolve, 150));
    }
    await eventually(async () => {
      const got = await room.world.a.opportunities.get.query({ id: dealId });
      expect(got.fields!.notes).toBe(typed);
    });
    notesText(alice.doc).delete(0, 5);
    let notes: { added: number; removed: number; excerpt: string }[] = [];
    await eventually(async () => {
      const { history } = await room.world.a.opportunities.get.query({ id: dealId });
      notes = history.flatMap((e) =>
        (e.changes ?? []).filter((c) => c.field === 'notes').map((c) => c.diff!),
      );
      expect(notes.reduce((sum, d) => sum + d.added - d.removed, 0)).toBe(typed.length - 5);
    }, 5000);
    // Several events (at most one a second), whose excerpts together spell what was typed.
    expect(notes.length).toBeGreaterThan(1);
    expect(
      notes
        .filter((d) => d.added > 0)
        .map((d) => d.excerpt)
        .join(''),
    ).toBe(typed);
    expect(notes.at(-1)).toEqual({ added: 0, removed: 5, excerpt: 'Call ' });
  });
});

describe('textDiff', () => {
  it('counts characters, not UTF-16 units, and cuts a long excerpt', () => {
    expect(textDiff('ab', 'a😀b')).toEqual({ added: 1, removed: 0, excerpt: '😀' });
    expect(textDiff('same', 'same')).toEqual({ added: 0, removed: 0, excerpt: '' });
    const long = textDiff('', `${'word '.repeat(30)}`);
    expect(long.added).toBe(150);
    expect(long.excerpt).toMatch(/^word word .*…$/);
    expect(Array.from(long.excerpt).length).toBeLessThanOrEqual(61);
    // Inside the text, what was typed starts a word; typed on at the end, it follows on.
    expect(textDiff('one\n\ntwo', 'one\n\nthree two').excerpt).toBe('three ');
    expect(textDiff('Globex brings t', 'Globex brings the SI t').excerpt).toBe('he SI t');
    expect(textDiff('a b c', 'a c')).toEqual({ added: 0, removed: 2, excerpt: 'b ' });
  });
});
