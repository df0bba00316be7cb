import * as encoding from 'lib0/encoding';
import { writeUpdate } from 'y-protocols/sync';
import { WebSocket } from 'ws';
import * as Y from 'yjs';
import { describe, expect, it } from 'vitest';
import { fieldsMap } from '../shared/sync/deal-doc.ts';
import { sharedDeal } from './kit/fixtures.ts';
import { roomSuite } from './kit/room-suite.ts';
import { eventually } from './kit/sync-client.ts';

const room = roomSuite();
const gateDeal = { customer: { name: 'Initech' }, amountMinor: 100, currency: 'EUR' };

describe('the deal-room gate and the document layout', () => {
  // Found by the sync fuzzer: a step 1 whose state vector did not decode threw inside the
  // connection's queue, an unhandled rejection that ended the whole server process.
  it('closes a socket whose sync step 1 carries a malformed state vector; the room carries on', async () => {
    const dealId = await sharedDeal(room.world, 'Bad step 1', gateDeal);
    const bob = room.join(dealId, await room.world.globex.memberToken('alliance'));
    await bob.synced;
    const token = await room.world.acme.memberToken('alliance');
    const ws = new WebSocket(
      `${room.server.url.replace(/^http/, 'ws')}/sync/${dealId}?token=${token}`,
    );
    const closed = new Promise<number>((resolve) => ws.on('close', (code) => resolve(code)));
    await new Promise((resolve) => ws.once('open', resolve));
    ws.send(Uint8Array.from([0x00, 0x00, 0x04, 0x4f, 0x75, 0x11, 0xa4]));
    expect(await closed).toBe(4400);

    const alice = room.join(dealId, token);
    await alice.synced;
    fieldsMap(alice.doc).set('nextStep', 'still here');
    await eventually(() => expect(fieldsMap(bob.doc).get('nextStep')).toBe('still here'));
    expect(bob.closes).toEqual([]);
    expect((await fetch(`${room.server.url}/healthz`)).status).toBe(200);
  });

  // Found by the sync fuzzer: a root type outside fields/plan/notes was stored and relayed unchecked.
  it('refuses an update that writes a root type outside the layout; the partner never gets it', async () => {
    const deal = await room.world.a.opportunities.create.mutate({
      fields: { title: 'Layout', customer: { name: 'Initech' }, amountMinor: 100, currency: 'EUR' },
      shareWith: [{ partner: 'globex', role: 'co_seller' }],
    });
    await room.world.b.opportunities.accept.mutate({ id: deal.id });
    const alice = room.join(deal.id, await room.world.acme.memberToken('alliance'));
    const bob = room.join(deal.id, await room.world.globex.memberToken('alliance'));
    await Promise.all([alice.synced, bob.synced]);

    alice.doc.transact(() => {
      alice.doc.getMap('smuggled').set('crmId', 'SF-0001');
      fieldsMap(alice.doc).set('nextStep', 'kept out too');
    });
    await eventually(() => expect(alice.denied.join()).toMatch(/smuggled/));
    // The room carries on: the partner's edit reaches a newcomer, who sees nothing smuggled.
    fieldsMap(bob.doc).set('title', 'Layout, later');
    const carol = room.join(deal.id, await room.world.acme.memberToken('alliance'));
    await eventually(() => expect(fieldsMap(carol.doc).get('title')).toBe('Layout, later'));
    expect(carol.doc.share.has('smuggled')).toBe(false);
    expect(bob.doc.share.has('smuggled')).toBe(false);
    expect(room.server.deps.docs.live(deal.id)!.share.has('smuggled')).toBe(false);
    expect(fieldsMap(bob.doc).get('nextStep')).toBeUndefined();
  });

  // Found by the sync fuzzer: an update the server already held changed nothing, and the commit
  // of that empty write dropped the live document, closing everyone in the room with 1001.
  it('takes an update it already holds as a no-op; no one is disconnected', async () => {
    const dealId = await sharedDeal(room.world, 'Twice', gateDeal);
    const bob = room.join(dealId, await room.world.globex.memberToken('alliance'));
    await bob.synced;
    const edit = new Y.Doc();
    fieldsMap(edit).set('nextStep', 'said twice');
    const frame = encoding.createEncoder();
    encoding.writeVarUint(frame, 0);
    writeUpdate(frame, Y.encodeStateAsUpdate(edit));
    const token = await room.world.acme.memberToken('alliance');
    const ws = new WebSocket(
      `${room.server.url.replace(/^http/, 'ws')}/sync/${dealId}?token=${token}`,
    );
    const closes: number[] = [];
    ws.on('close', (code) => closes.push(code));
    await new Promise((resolve) => ws.once('open', resolve));
    ws.send(encoding.toUint8Array(frame));
    await eventually(() => expect(fieldsMap(bob.doc).get('nextStep')).toBe('said twice'));
    ws.send(encoding.toUint8Array(frame));

    fieldsMap(bob.doc).set('title', 'Twice, then once more');
    const carol = room.join(dealId, token);
    await eventually(() => expect(fieldsMap(carol.doc).get('title')).toBe('Twice, then once more'));
    expect(bob.closes).toEqual([]);
    expect(closes).toEqual([]);
    expect(ws.readyState).toBe(WebSocket.OPEN);
    ws.close();
  });
});
