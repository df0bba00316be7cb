import fc from 'fast-check';
import { WebSocket } from 'ws';
import * as Y from 'yjs';
import { describe, expect, it } from 'vitest';
import { fieldsMap, notesText, planArray, readFields } from '../shared/sync/deal-doc.ts';
import { compactDocs } from '../server/sync/compaction.ts';
import { sharedDeal } from './kit/fixtures.ts';
import { roomSuite } from './kit/room-suite.ts';
import { eventually } from './kit/sync-client.ts';

const room = roomSuite({
  syncLimits: { maxMessageBytes: 64 * 1024, burst: 40, messagesPerSecond: 20 },
});
const planDeal = { customer: { name: 'Umbrella' }, amountMinor: 100_00, currency: 'USD' };

function newStep(id: string, ownerCompanyId: string): Y.Map<unknown> {
  const step = new Y.Map<unknown>();
  for (const [k, v] of Object.entries({
    id,
    play: 'discovery',
    title: null,
    ownerCompanyId,
    ownerPerson: 'Dana',
    dueDate: '2026-12-01',
    status: 'todo',
    outcome: null,
  }))
    step.set(k, v);
  return step;
}

describe('the mutual plan in a deal room', () => {
  it('records a step added and moved on in the room as step events', async () => {
    const dealId = await sharedDeal(room.world, 'Plan live', planDeal);
    const alice = room.join(dealId, await room.world.acme.memberToken('alliance'));
    await alice.synced;
    planArray(alice.doc).push([newStep('stp_fromTheRoom01', room.world.globex.id)]);
    await eventually(async () => {
      const deal = await room.world.b.opportunities.get.query({ id: dealId });
      expect(deal.steps.map((s) => [s.id, s.status, s.ownerPerson])).toEqual([
        ['stp_fromTheRoom01', 'todo', 'Dana'],
      ]);
    });
    (planArray(alice.doc).get(0) as Y.Map<unknown>).set('status', 'done');
    await eventually(async () => {
      const deal = await room.world.b.opportunities.get.query({ id: dealId });
      expect(deal.steps[0]!.status).toBe('done');
    });
  });

  it('puts back a step deleted from the plan, and refuses an owner outside the deal', async () => {
    const dealId = await sharedDeal(room.world, 'Plan guard', planDeal);
    await room.world.a.steps.add.mutate({
      dealId,
      step: { play: 'intro', ownerCompanyId: room.world.acme.id },
    });
    const alice = room.join(dealId, await room.world.acme.memberToken('alliance'));
    await alice.synced;
    planArray(alice.doc).delete(0, 1);
    await eventually(() => expect(alice.denied[0]).toMatch(/^update refused: plan/));
    await eventually(() => expect(planArray(alice.doc).length).toBe(1));
    planArray(alice.doc).push([newStep('stp_strangerOwner1', 'cmp_nobody')]);
    await eventually(() => expect(alice.denied[1]).toMatch(/plan\.1\.ownerCompanyId/));
    await eventually(() => expect(planArray(alice.doc).length).toBe(1));
    const deal = await room.world.a.opportunities.get.query({ id: dealId });
    expect(deal.steps.map((s) => s.play)).toEqual(['intro']);
  });
});

describe('deal room limits', () => {
  it('closes a socket that sends a frame over the size limit, terminally', async () => {
    const dealId = await sharedDeal(room.world, 'Big', planDeal);
    const alice = room.join(dealId, await room.world.acme.memberToken('alliance'));
    const bob = room.join(dealId, await room.world.globex.memberToken('alliance'));
    await Promise.all([alice.synced, bob.synced]);
    notesText(alice.doc).insert(0, 'x'.repeat(100 * 1024));
    await eventually(() => expect(alice.closes).toEqual([4413]));
    fieldsMap(bob.doc).set('nextStep', 'the room lives on');
    await eventually(async () => {
      const deal = await room.world.a.opportunities.get.query({ id: dealId });
      expect(deal.fields!.nextStep).toBe('the room lives on');
    });
  });

  it('closes a socket that floods updates with a code to come back later', async () => {
    const dealId = await sharedDeal(room.world, 'Flood', planDeal);
    const token = await room.world.acme.memberToken('alliance');
    const raw = new WebSocket(
      `${room.server.url.replace('http', 'ws')}/sync/${dealId}?token=${token}`,
    );
    const doc = new Y.Doc();
    const code = await new Promise<number>((resolve) => {
      raw.on('open', () => {
        for (let n = 0; n < 100; n++) {
          const before = Y.encodeStateVector(doc);
          fieldsMap(doc).set('nextStep', `flood ${n}`);
          const update = Y.encodeStateAsUpdate(doc, before);
          raw.send(Buffer.concat([Buffer.from([0, 2]), varBytes(update)]));
        }
      });
      raw.on('close', (c) => resolve(c));
    });
    expect(code).toBe(4029);
  });
});

/** A y-protocols var-length byte array: varuint length, then the bytes. */
function varBytes(bytes: Uint8Array): Buffer {
  const len: number[] = [];
  let n = bytes.length;
  while (n > 0x7f) {
    len.push((n & 0x7f) | 0x80);
    n >>>= 7;
  }
  len.push(n);
  return Buffer.concat([Buffer.from(len), Buffer.from(bytes)]);
}

describe('convergence and compaction', () => {
  const op = fc.oneof(
    fc.record({ kind: fc.constant('nextStep' as const), text: fc.string({ maxLength: 20 }) }),
    fc.record({
      kind: fc.constant('amount' as const),
      value: fc.integer({ min: 0, max: 10 ** 9 }),
    }),
    fc.record({
      kind: fc.constant('note' as const),
      at: fc.nat(),
      text: fc.string({ minLength: 1, maxLength: 8 }),
    }),
    fc.record({ kind: fc.constant('bad' as const), value: fc.constantFrom(-1, 0.5, 'many') }),
  );

  it('brings every replica and the tables to the same state, whatever the interleaving', async () => {
    const tokens = [
      await room.world.acme.memberToken('alliance'),
      await room.world.globex.memberToken('alliance'),
      await room.world.globex.memberToken('seller'),
    ];
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(fc.nat({ max: 2 }), op), { minLength: 1, maxLength: 25 }),
        async (ops) => {
          const dealId = await sharedDeal(room.world, 'Converge', planDeal);
          const clients = tokens.map((t) => room.join(dealId, t));
          await Promise.all(clients.map((c) => c.synced));
          for (const [who, o] of ops) {
            const doc = clients[who]!.doc;
            if (o.kind === 'nextStep') fieldsMap(doc).set('nextStep', o.text.trim() || null);
            else if (o.kind === 'amount') fieldsMap(doc).set('amountMinor', o.value);
            else if (o.kind === 'bad') fieldsMap(doc).set('amountMinor', o.value);
            else notesText(doc).insert(o.at % (notesText(doc).length + 1), o.text);
          }
          await eventually(async () => {
            const states = clients.map((c) => JSON.stringify(readFields(c.doc)));
            expect(new Set(states).size).toBe(1);
            const deal = await room.world.a.opportunities.get.query({ id: dealId });
            const doc = readFields(clients[0]!.doc);
            expect(deal.fields!.amountMinor).toBe(doc.amountMinor);
            expect(deal.fields!.notes).toBe(doc.notes);
            expect(deal.fields!.nextStep ?? null).toBe(doc.nextStep ?? null);
            expect(Number.isInteger(doc.amountMinor) && (doc.amountMinor as number) >= 0).toBe(
              true,
            );
          }, 5000);
          room.stopAll();
        },
      ),
      { numRuns: 6 },
    );
    // Each run opens three real clients on a fresh deal: seconds apiece on a loaded machine.
  }, 120_000);

  it('compacts a busy document into one stored update that holds the same state', async () => {
    const dealId = await sharedDeal(room.world, 'Busy', planDeal);
    const count = () =>
      room.server.deps.db
        .selectFrom('deal_doc_updates')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('deal_id', '=', dealId)
        .executeTakeFirstOrThrow();
    // API writes make no document; the first room builds it from the tables and stores it.
    expect((await count()).n).toBe(0);
    const first = room.join(dealId, await room.world.acme.memberToken('alliance'));
    await first.synced;
    first.stop();
    expect((await count()).n).toBe(1);
    // From then on each API write stores one document update, as a room edit does.
    for (let n = 1; n <= 15; n++)
      await room.world.a.opportunities.update.mutate({
        id: dealId,
        patch: { notes: 'a'.repeat(n) },
      });
    expect((await count()).n).toBe(16);
    expect(await compactDocs(room.server.deps, { threshold: 10 })).toBeGreaterThanOrEqual(1);
    expect((await count()).n).toBe(1);
    const later = room.join(dealId, await room.world.globex.memberToken('alliance'));
    await later.synced;
    expect(notesText(later.doc).toString()).toBe('a'.repeat(15));
  });
});
