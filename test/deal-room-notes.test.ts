import { describe, expect, it } from 'vitest';
import { notesText } from '../shared/sync/deal-doc.ts';
import { partnerPair, sharedDeal } from './kit/fixtures.ts';
import { startTestServer } from './kit/harness.ts';
import { roomSuite } from './kit/room-suite.ts';
import { eventually } from './kit/sync-client.ts';

// Notes typed in a deal room: every keystroke kept, their full text in the tables at most once a
// second per deal (server/opportunities/notes-settler.ts).

const room = roomSuite();

describe('notes typed in a deal room', () => {
  it('records each keystroke in the notes, but their full text in the tables at most once a second', async () => {
    const dealId = await sharedDeal(room.world, 'Typing');
    const alice = room.join(dealId, await room.world.acme.memberToken('alliance'));
    const bob = room.join(dealId, await room.world.globex.memberToken('alliance'));
    await Promise.all([alice.synced, bob.synced]);
    const typed = 'Call the CFO on Monday.';
    const started = Date.now();
    for (const [n, char] of [...typed].entries()) {
      notesText(alice.doc).insert(n, char);
      await new Promise((resolve) => setTimeout(resolve, 40));
    }
    await eventually(() => expect(notesText(bob.doc).toString()).toBe(typed));
    const seconds = Math.ceil((Date.now() - started) / 1000);
    await eventually(async () => {
      const got = await room.world.b.opportunities.get.query({ id: dealId });
      expect(got.fields!.notes).toBe(typed);
    });
    const events = await room.server.deps.db
      .selectFrom('ledger_events')
      .select(['type', 'data'])
      .where('deal_id', '=', dealId)
      .execute();
    const keystrokes = events.filter((e) => e.type === 'doc.updated');
    const projections = events.filter(
      (e) => e.type === 'opportunity.updated' && 'notes' in JSON.parse(e.data).changes,
    );
    expect(keystrokes.length).toBe(typed.length);
    // The first keystroke at once, then one a second while typing goes on, then the rest.
    expect(projections.length).toBeGreaterThanOrEqual(2);
    expect(projections.length).toBeLessThanOrEqual(seconds + 2);
    expect(projections.length).toBeLessThan(typed.length / 2);
    expect(JSON.parse(projections.at(-1)!.data).changes.notes).toBe(typed);
  });

  it('settles at start the notes a crash left out of the tables', async () => {
    // Its own server, whose notes wait a minute: the second keystroke stays due.
    const slow = await startTestServer({ notesEveryMs: 60_000 });
    try {
      const pair = await partnerPair(slow);
      const deal = { id: await sharedDeal(pair, 'Due') };
      const typist = await pair.acme.memberToken('alliance');
      const alice = room.join(deal.id, typist, { url: slow.url });
      const bob = room.join(deal.id, await pair.globex.memberToken('alliance'), { url: slow.url });
      await Promise.all([alice.synced, bob.synced]);
      notesText(alice.doc).insert(0, 'a');
      await eventually(async () => {
        const got = await pair.a.opportunities.get.query({ id: deal.id });
        expect(got.fields!.notes).toBe('a');
      });
      notesText(alice.doc).insert(1, 'b');
      await eventually(() => expect(notesText(bob.doc).toString()).toBe('ab'));
      const due = () => slow.deps.db.selectFrom('notes_due').selectAll().execute();
      expect((await due()).map((r) => r.deal_id)).toEqual([deal.id]);
      expect((await pair.a.opportunities.get.query({ id: deal.id })).fields!.notes).toBe('a');

      // What the next start does (a crash skipped the settle a graceful stop makes).
      await slow.sync.settleDue();
      expect((await pair.b.opportunities.get.query({ id: deal.id })).fields!.notes).toBe('ab');
      expect(await due()).toEqual([]);
      const settled = await slow.deps.db
        .selectFrom('ledger_events')
        .select(['actor_company_id', 'data'])
        .where('deal_id', '=', deal.id)
        .where('type', '=', 'opportunity.updated')
        .orderBy('seq', 'desc')
        .executeTakeFirstOrThrow();
      // Recorded as the typist's, not the server's.
      expect(settled.actor_company_id).toBe(pair.acme.id);
      expect(JSON.parse(settled.data)).toEqual({ changes: { notes: 'ab' } });
    } finally {
      await slow.stop();
    }
  });
});
