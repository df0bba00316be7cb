import fs from 'node:fs';
import * as encoding from 'lib0/encoding';
import { WebSocket } from 'ws';
import * as awarenessProtocol from 'y-protocols/awareness';
import * as Y from 'yjs';
import { describe, expect, it } from 'vitest';
import { fieldsMap, notesText, planArray } from '../shared/sync/deal-doc.ts';
import { issueAccessToken } from '../server/tenants/tokens/token-issuer.ts';
import { partnerPair, sharedDeal } from './kit/fixtures.ts';
import { startTestServer, tempDataDir, type TestServer } from './kit/harness.ts';
import { roomSuite } from './kit/room-suite.ts';
import { dropStoreOf } from './kit/stores.ts';
import { eventually } from './kit/sync-client.ts';

const room = roomSuite({ syncLimits: { connectionsPerRoom: 6, idleUnloadMs: 200 } });

async function tokens() {
  return {
    a: await room.world.acme.memberToken('alliance'),
    b: await room.world.globex.memberToken('alliance'),
  };
}

describe('deal rooms over the stock y-websocket provider', () => {
  it('syncs a field and a note between two companies and projects them into the tables', async () => {
    const dealId = await sharedDeal(room.world, 'Room deal');
    const t = await tokens();
    const alice = room.join(dealId, t.a);
    const bob = room.join(dealId, t.b);
    await Promise.all([alice.synced, bob.synced]);
    expect(fieldsMap(bob.doc).get('title')).toBe('Room deal');

    fieldsMap(alice.doc).set('nextStep', 'Workshop on Friday');
    notesText(alice.doc).insert(0, 'Champion: CTO');
    await eventually(() => {
      expect(fieldsMap(bob.doc).get('nextStep')).toBe('Workshop on Friday');
      expect(notesText(bob.doc).toString()).toBe('Champion: CTO');
    });
    await eventually(async () => {
      const deal = await room.world.b.opportunities.get.query({ id: dealId });
      expect(deal.fields!.nextStep).toBe('Workshop on Friday');
      expect(deal.fields!.notes).toBe('Champion: CTO');
    });
    const events = await room.server.deps.db
      .selectFrom('ledger_events')
      .select(['type', 'actor_company_id', 'actor_kind'])
      .where('deal_id', '=', dealId)
      .where('type', '=', 'doc.updated')
      .execute();
    expect(events.length).toBeGreaterThan(0);
    expect(
      events.every((e) => e.actor_company_id === room.world.acme.id && e.actor_kind === 'member'),
    ).toBe(true);
  });

  it('shows an API write in an open room at once', async () => {
    const dealId = await sharedDeal(room.world, 'API into room');
    const t = await tokens();
    const bob = room.join(dealId, t.b);
    await bob.synced;
    await room.world.a.opportunities.update.mutate({
      id: dealId,
      patch: { stage: 'qualified', amountMinor: 750_000 },
    });
    await room.world.a.steps.add.mutate({
      dealId,
      step: { play: 'discovery', ownerCompanyId: room.world.acme.id },
    });
    await eventually(() => {
      expect(fieldsMap(bob.doc).get('stage')).toBe('qualified');
      expect(fieldsMap(bob.doc).get('amountMinor')).toBe(750_000);
      expect(planArray(bob.doc).length).toBe(1);
      expect(planArray(bob.doc).get(0).get('play')).toBe('discovery');
    });
  });

  it('refuses an update that leaves the fields invalid: the sender is told, no one else sees it', async () => {
    const dealId = await sharedDeal(room.world, 'Gate');
    const t = await tokens();
    const alice = room.join(dealId, t.a);
    const bob = room.join(dealId, t.b);
    await Promise.all([alice.synced, bob.synced]);
    const seenByBob: [string, unknown][] = [];
    fieldsMap(bob.doc).observe((event) => {
      for (const key of event.keysChanged) seenByBob.push([key, fieldsMap(bob.doc).get(key)]);
    });
    const bad: [string, unknown][] = [
      ['stage', 'signed'],
      ['amountMinor', -5],
      ['amountMinor', 12.5],
      ['currency', 'XXX'],
      ['favouriteColour', 'blue'],
    ];
    for (const [key, value] of bad) fieldsMap(alice.doc).set(key, value);
    await eventually(() => expect(alice.denied.length).toBe(bad.length));
    expect(alice.denied[0]).toMatch(/^update refused: fields\.stage: /);
    expect(alice.denied[1]).toMatch(/^update refused: fields\.amountMinor: /);
    expect(alice.denied[4]).toBe('update refused: fields.favouriteColour: unknown field');
    // The sender's copy is put back by the server's compensating edit...
    await eventually(() => {
      expect(fieldsMap(alice.doc).get('stage')).toBe('prospect');
      expect(fieldsMap(alice.doc).get('amountMinor')).toBe(500_000);
      expect(fieldsMap(alice.doc).get('currency')).toBe('EUR');
      expect(fieldsMap(alice.doc).has('favouriteColour')).toBe(false);
    });
    // ...and a valid edit after the refusals goes through.
    fieldsMap(alice.doc).set('amountMinor', 650_000);
    await eventually(() => expect(fieldsMap(bob.doc).get('amountMinor')).toBe(650_000));
    // Bob never saw an invalid value (the compensated edits reach him as no change).
    const invalidSeen = seenByBob.filter(([key, value]) =>
      bad.some(([k, v]) => k === key && v === value),
    );
    expect(invalidSeen).toEqual([]);
    expect(seenByBob).toContainEqual(['amountMinor', 650_000]);
    const deal = await room.world.a.opportunities.get.query({ id: dealId });
    expect(deal.fields!.amountMinor).toBe(650_000);
    expect(deal.fields!.stage).toBe('prospect');
  });

  it('keeps the valid part of an update whose other part is refused', async () => {
    const dealId = await sharedDeal(room.world, 'Half right');
    const t = await tokens();
    const alice = room.join(dealId, t.a);
    await alice.synced;
    alice.doc.transact(() => {
      fieldsMap(alice.doc).set('nextStep', 'Send the proposal');
      fieldsMap(alice.doc).set('currency', 'DOLLARS');
    });
    await eventually(() => expect(alice.denied).toHaveLength(1));
    expect(alice.denied[0]).toMatch(/fields\.currency/);
    const deal = await room.world.a.opportunities.get.query({ id: dealId });
    expect(deal.fields!.nextStep).toBe('Send the proposal');
    expect(deal.fields!.currency).toBe('EUR');
  });

  it('clears a field in the tables when a live edit removes it from the document', async () => {
    const dealId = await sharedDeal(room.world, 'Cleared');
    const alice = room.join(dealId, (await tokens()).a);
    await alice.synced;
    fieldsMap(alice.doc).set('nextStep', '!');
    await eventually(async () => {
      const deal = await room.world.a.opportunities.get.query({ id: dealId });
      expect(deal.fields!.nextStep).toBe('!');
    });
    fieldsMap(alice.doc).delete('nextStep');
    await eventually(async () => {
      const deal = await room.world.a.opportunities.get.query({ id: dealId });
      expect(deal.fields!.nextStep ?? null).toBeNull();
    });
  });

  it('lets a viewer watch but not edit', async () => {
    const dealId = await sharedDeal(room.world, 'Watch only');
    const t = await tokens();
    const viewer = room.join(dealId, await room.world.globex.memberToken('viewer'));
    const alice = room.join(dealId, t.a);
    await Promise.all([viewer.synced, alice.synced]);
    fieldsMap(viewer.doc).set('title', 'viewer was here');
    await eventually(() =>
      expect(viewer.denied).toEqual(['read-only: your role may not edit this deal']),
    );
    fieldsMap(alice.doc).set('nextStep', 'alice decides');
    await eventually(() => expect(fieldsMap(viewer.doc).get('nextStep')).toBe('alice decides'));
    const deal = await room.world.a.opportunities.get.query({ id: dealId });
    expect(deal.fields!.title).toBe('Watch only');
    expect(fieldsMap(alice.doc).get('title')).toBe('Watch only');
  });

  it('relays presence between companies, and no one may move another’s cursor', async () => {
    const dealId = await sharedDeal(room.world, 'Presence');
    const t = await tokens();
    const alice = room.join(dealId, t.a);
    const bob = room.join(dealId, t.b);
    await Promise.all([alice.synced, bob.synced]);
    alice.provider.awareness.setLocalStateField('user', { name: 'Alice', field: 'amountMinor' });
    await eventually(() =>
      expect(bob.provider.awareness.getStates().get(alice.doc.clientID)).toMatchObject({
        user: { name: 'Alice', field: 'amountMinor' },
      }),
    );
    // A socket claiming Alice's client id with a newer clock is ignored for her entry.
    const fake = new Y.Doc();
    fake.clientID = alice.doc.clientID;
    const spoof = new awarenessProtocol.Awareness(fake);
    for (let n = 0; n < 5; n++) spoof.setLocalState({ user: { name: 'Mallory', n } });
    const encoder = encoding.createEncoder();
    encoding.writeVarUint(encoder, 1);
    encoding.writeVarUint8Array(
      encoder,
      awarenessProtocol.encodeAwarenessUpdate(spoof, [fake.clientID]),
    );
    const raw = new WebSocket(
      `${room.server.url.replace('http', 'ws')}/sync/${dealId}?token=${t.b}`,
    );
    await new Promise<void>((resolve) => {
      raw.on('open', () => {
        raw.send(encoding.toUint8Array(encoder));
        setTimeout(resolve, 300);
      });
    });
    raw.close();
    expect(bob.provider.awareness.getStates().get(alice.doc.clientID)).toMatchObject({
      user: { name: 'Alice' },
    });
  });

  it('closes with a terminal code for a bad token or a company outside the deal', async () => {
    const dealId = await sharedDeal(room.world, 'Closed doors');
    const outsider = await room.server.company('outsider');
    const stranger = room.join(dealId, await outsider.memberToken('admin'));
    const forged = room.join(dealId, 'not-a-token');
    await eventually(() => {
      expect(stranger.closes).toEqual([4404]);
      expect(forged.closes).toEqual([4401]);
    });
    // Terminal: the provider does not come back.
    await new Promise((r) => setTimeout(r, 300));
    expect(stranger.closes).toEqual([4404]);
    expect(stranger.provider.shouldConnect).toBe(false);
  });

  it('disconnects a company removed from the deal at once', async () => {
    const dealId = await sharedDeal(room.world, 'Removal');
    const t = await tokens();
    const bob = room.join(dealId, t.b);
    await bob.synced;
    await room.world.a.opportunities.removeParticipant.mutate({
      id: dealId,
      companyId: room.world.globex.id,
    });
    await eventually(() => expect(bob.closes).toEqual([4403]));
  });

  it('disconnects a socket whose token is revoked, and unloads a room nobody is in', async () => {
    const dealId = await sharedDeal(room.world, 'Revoked');
    const token = await room.world.acme.memberToken('alliance');
    const alice = room.join(dealId, token);
    await alice.synced;
    expect(room.server.sync.stats().rooms).toBeGreaterThan(0);
    const client = room.server.client(token);
    await client.tokens.revokeCurrent.mutate();
    await eventually(() => expect(alice.closes[0]).toBe(4401));
    room.stopAll();
    await eventually(() => expect(room.server.sync.stats()).toEqual({ rooms: 0, connections: 0 }));
  });

  it('closes an expired token with a code the client retries, and loses no edit made meanwhile', async () => {
    const dealId = await sharedDeal(room.world, 'Expiry');
    const member = await room.server.deps.db
      .selectFrom('members')
      .select('id')
      .where('company_id', '=', room.world.acme.id)
      .executeTakeFirstOrThrow();
    const short = await issueAccessToken(
      room.server.deps,
      { companyId: room.world.acme.id },
      { subject: member.id, ttlSeconds: 1 },
    );
    const alice = room.join(dealId, short.token);
    await alice.synced;
    await eventually(() => expect(alice.closes[0]).toBe(4001), 5000);
    fieldsMap(alice.doc).set('nextStep', 'typed while the token was stale');
    alice.provider.params = { token: await room.world.acme.memberToken('alliance') };
    await eventually(async () => {
      const deal = await room.world.a.opportunities.get.query({ id: dealId });
      expect(deal.fields!.nextStep).toBe('typed while the token was stale');
    }, 8000);
  });

  it('survives a malformed frame: that socket closes, the room carries on', async () => {
    const dealId = await sharedDeal(room.world, 'Garbage');
    const t = await tokens();
    const alice = room.join(dealId, t.a);
    const bob = room.join(dealId, t.b);
    await Promise.all([alice.synced, bob.synced]);
    const raw = new WebSocket(
      `${room.server.url.replace('http', 'ws')}/sync/${dealId}?token=${t.a}`,
    );
    const code = await new Promise<number>((resolve) => {
      raw.on('open', () => raw.send(Buffer.from([0, 7, 200, 1, 2])));
      raw.on('close', (c) => resolve(c));
    });
    expect(code).toBe(4400);
    fieldsMap(alice.doc).set('nextStep', 'still here');
    await eventually(() => expect(fieldsMap(bob.doc).get('nextStep')).toBe('still here'));
  });

  it('takes offline edits from the reply to its sync step 1', async () => {
    const dealId = await sharedDeal(room.world, 'Offline');
    const t = await tokens();
    const alice = room.join(dealId, t.a);
    await alice.synced;
    alice.provider.disconnect();
    fieldsMap(alice.doc).set('nextStep', 'written on the train');
    const bob = room.join(dealId, t.b);
    await bob.synced;
    alice.provider.connect();
    await eventually(() => expect(fieldsMap(bob.doc).get('nextStep')).toBe('written on the train'));
  });

  it('refuses connections over the room limit with a code the client retries later', async () => {
    const dealId = await sharedDeal(room.world, 'Crowded');
    const t = await tokens();
    const inside = Array.from({ length: 6 }, () => room.join(dealId, t.a));
    await Promise.all(inside.map((c) => c.synced));
    const late = room.join(dealId, t.b);
    await eventually(() => expect(late.closes[0]).toBe(1013));
  });
});

describe('deal room persistence', () => {
  it('restores every accepted update after a restart', async () => {
    const dataDir = tempDataDir();
    let first: TestServer | undefined = await startTestServer({ dataDir });
    let second: TestServer | undefined;
    try {
      const { a, b, acme } = await partnerPair(first);
      const deal = await a.opportunities.create.mutate({
        fields: { title: 'Durable', customer: { name: 'Hooli' }, amountMinor: 1, currency: 'USD' },
        shareWith: [{ partner: 'globex', role: 'co_seller' }],
      });
      await b.opportunities.accept.mutate({ id: deal.id });
      const alice = room.join(deal.id, await acme.memberToken('alliance'), { url: first.url });
      await alice.synced;
      alice.doc.transact(() => {
        fieldsMap(alice.doc).set('nextStep', 'keep me');
        notesText(alice.doc).insert(0, 'first line');
      });
      await eventually(async () => {
        const got = await a.opportunities.get.query({ id: deal.id });
        expect(got.fields!.notes).toBe('first line');
      });
      alice.stop();
      await first.stop();
      first = undefined;
      second = await startTestServer({ dataDir });
      const member = await second.deps.db
        .selectFrom('members')
        .select(['id', 'company_id'])
        .where('company_id', '!=', acme.id)
        .executeTakeFirstOrThrow();
      const token = await issueAccessToken(
        second.deps,
        { companyId: member.company_id },
        { subject: member.id, ttlSeconds: 600 },
      );
      const again = room.join(deal.id, token.token, { url: second.url });
      await again.synced;
      expect(fieldsMap(again.doc).get('nextStep')).toBe('keep me');
      expect(notesText(again.doc).toString()).toBe('first line');
      // The document the first room built from the tables was stored too, not only the edit.
      expect(fieldsMap(again.doc).get('title')).toBe('Durable');
    } finally {
      await first?.stop();
      await second?.stop();
      await dropStoreOf(dataDir);
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
