import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { issueAccessToken } from '../../server/tenants/tokens/token-issuer.ts';
import { closeCodes } from '../../shared/sync/close-codes.ts';
import { fieldsMap } from '../../shared/sync/deal-doc.ts';
import { sharedDeal } from '../../test/kit/fixtures.ts';
import { roomSuite } from '../../test/kit/room-suite.ts';
import { eventually } from '../../test/kit/sync-client.ts';
import { openDealRoom, type DealRoom, type DealRoomOptions } from './deal-room-provider.ts';

// What the test kit's joinRoom covers through this wrapper (refusals, close codes, a static
// token) is not repeated here: only what the kit does not reach.
const room = roomSuite();
const joined: DealRoom[] = [];
afterEach(() => {
  for (const r of joined.splice(0)) r.leave();
});

function open(options: Omit<DealRoomOptions, 'url' | 'WebSocket'>): DealRoom {
  const r = openDealRoom({
    url: room.server.url,
    WebSocket: WebSocket as unknown as typeof globalThis.WebSocket,
    ...options,
  });
  joined.push(r);
  return r;
}

describe('the deal-room provider', () => {
  it('reconnects with the token of the moment after the server closes an expired one', async () => {
    const dealId = await sharedDeal(room.world, 'Fresh token');
    const scope = { companyId: room.world.acme.id };
    const { id: subject } = await room.server.deps.db
      .selectFrom('members')
      .select('id')
      .where('company_id', '=', scope.companyId)
      .executeTakeFirstOrThrow();
    // Everything slow happens before the short token is issued: it must outlive the first sync
    // (on a loaded machine 1 s did not, and the room then refused the expired token for good).
    const fresh = await room.world.acme.memberToken('alliance');
    let current = (await issueAccessToken(room.server.deps, scope, { subject, ttlSeconds: 3 }))
      .token;
    const closes: number[] = [];
    const alice = open({ dealId, token: () => current, onClose: (code) => closes.push(code) });
    await alice.synced;
    current = fresh;
    await eventually(() => expect(closes).toEqual([closeCodes.tokenExpired.code]), 8000);
    fieldsMap(alice.doc).set('nextStep', 'sent with the fresh token');
    await eventually(async () => {
      const deal = await room.world.a.opportunities.get.query({ id: dealId });
      expect(deal.fields!.nextStep).toBe('sent with the fresh token');
    }, 8000);
    expect(closes).toEqual([closeCodes.tokenExpired.code]);
  });

  it('fails the wait for sync when the server closes the room for good', async () => {
    const dealId = await sharedDeal(room.world, 'Forged');
    const forged = open({ dealId, token: 'not-a-token' });
    await expect(forged.synced).rejects.toThrow(/4401/);
    expect(forged.provider.shouldConnect).toBe(false);
  });

  it('counts a change confirmed once the server has stored it, and an offline one on reconnect', async () => {
    const dealId = await sharedDeal(room.world, 'Saves');
    const token = await room.world.acme.memberToken('alliance');
    const alice = open({ dealId, token });
    await alice.synced;
    const stored = async () =>
      (await room.world.a.opportunities.get.query({ id: dealId })).fields!.nextStep;

    fieldsMap(alice.doc).set('nextStep', 'first');
    expect(alice.saves.made).toBe(1);
    expect(alice.saves.confirmed).toBe(0);
    await alice.saves.settled();
    expect(alice.saves.confirmed).toBe(1);
    // Confirmed means durable: the tables have it at that moment.
    expect(await stored()).toBe('first');

    // Offline: kept and counted, confirmed only after the socket is back.
    alice.provider.disconnect();
    fieldsMap(alice.doc).set('nextStep', 'typed offline');
    fieldsMap(alice.doc).set('title', 'Saves, offline');
    expect(alice.saves.made).toBe(3);
    await new Promise((r) => setTimeout(r, 200));
    expect(alice.saves.confirmed).toBe(1);
    expect(await stored()).toBe('first');
    alice.provider.connect();
    await alice.saves.settled();
    expect(alice.saves.confirmed).toBe(3);
    expect(await stored()).toBe('typed offline');

    // A refused change is answered for too (refused and undone), its refusal first.
    const refusals: string[] = [];
    const bob = open({ dealId, token, onRefusal: (r) => refusals.push(r) });
    await bob.synced;
    fieldsMap(bob.doc).set('amountMinor', -5);
    await bob.saves.settled();
    expect(refusals).toEqual([expect.stringMatching(/^update refused: fields\.amountMinor: /)]);
    expect(fieldsMap(bob.doc).get('amountMinor')).toBe(500_000);
  });
});
