import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { fieldsMap, notesText } from '../../shared/sync/deal-doc.ts';
import { loadUpdates } from '../../server/sync/doc-store.ts';
import { startCluster } from '../kit/cluster.ts';
import { partnerPair, sharedDeal, type PartnerPair } from '../kit/fixtures.ts';
import type { TestServer } from '../kit/harness.ts';
import { eventually, joinRoom, type RoomClient } from '../kit/sync-client.ts';

/** The deal's document as the store holds it. */
async function stored(server: TestServer, dealId: string): Promise<Y.Doc> {
  const doc = new Y.Doc();
  for (const update of await loadUpdates(server.deps.db, dealId)) Y.applyUpdate(doc, update);
  return doc;
}

describe('deal rooms across two instances on one PostgreSQL', () => {
  let cluster: Awaited<ReturnType<typeof startCluster>>;
  let world: PartnerPair;
  const open: RoomClient[] = [];
  const join = (server: TestServer, dealId: string, token: string) => {
    const client = joinRoom(server.url, dealId, token);
    open.push(client);
    return client;
  };
  const a = () => cluster.instances[0]!;
  const b = () => cluster.instances[1]!;

  beforeAll(async () => {
    cluster = await startCluster(2, { env: { TANDEM_LEASE_MS: '600' } });
    world = await partnerPair(a());
  });
  afterAll(async () => {
    for (const client of open) client.stop();
    await cluster?.stop();
  });

  it('relays each edit to the other instance once it is stored, both ways', async () => {
    const dealId = await sharedDeal(world, 'Across');
    const alice = join(a(), dealId, await world.acme.memberToken('alliance'));
    const bob = join(b(), dealId, await world.globex.memberToken('alliance'));
    await Promise.all([alice.synced, bob.synced]);

    notesText(alice.doc).insert(0, 'from A');
    await eventually(() => expect(notesText(bob.doc).toString()).toBe('from A'));
    // What B relayed was already durable: the store holds it.
    expect(notesText(await stored(b(), dealId)).toString()).toBe('from A');

    fieldsMap(bob.doc).set('nextStep', 'from B');
    await eventually(() => expect(fieldsMap(alice.doc).get('nextStep')).toBe('from B'));
    for (let n = 0; n < 20; n++) {
      const [writer, reader] = n % 2 === 0 ? [alice, bob] : [bob, alice];
      notesText(writer.doc).insert(notesText(writer.doc).length, ` ${n}`);
      await eventually(() =>
        expect(notesText(reader.doc).toString()).toBe(notesText(writer.doc).toString()),
      );
    }
    const server = await stored(a(), dealId);
    expect(Y.encodeStateVector(alice.doc)).toEqual(Y.encodeStateVector(bob.doc));
    expect(notesText(server).toString()).toBe(notesText(alice.doc).toString());
  });

  it('checks an edit on whichever instance takes it: a refused value reaches no one', async () => {
    const dealId = await sharedDeal(world, 'Checked across');
    const alice = join(a(), dealId, await world.acme.memberToken('alliance'));
    const bob = join(b(), dealId, await world.globex.memberToken('alliance'));
    await Promise.all([alice.synced, bob.synced]);
    const seenByAlice: unknown[] = [];
    fieldsMap(alice.doc).observe(() => seenByAlice.push(fieldsMap(alice.doc).get('amountMinor')));

    fieldsMap(bob.doc).set('amountMinor', -5);
    await eventually(() => expect(bob.denied).toHaveLength(1));
    fieldsMap(bob.doc).set('amountMinor', 900_000);
    await eventually(() => expect(fieldsMap(alice.doc).get('amountMinor')).toBe(900_000));
    expect(seenByAlice).not.toContain(-5);
    const deal = await world.a.opportunities.get.query({ id: dealId });
    expect(deal.fields!.amountMinor).toBe(900_000);
  });

  it('shows an API write made on one instance in a room open on the other', async () => {
    const dealId = await sharedDeal(world, 'API across');
    const bob = join(b(), dealId, await world.globex.memberToken('alliance'));
    await bob.synced;
    await world.a.opportunities.update.mutate({ id: dealId, patch: { stage: 'qualified' } });
    await eventually(() => expect(fieldsMap(bob.doc).get('stage')).toBe('qualified'));
  });

  it('relays presence, and asks for it when a room opens on another instance', async () => {
    const dealId = await sharedDeal(world, 'Presence across');
    const alice = join(a(), dealId, await world.acme.memberToken('alliance'));
    await alice.synced;
    alice.provider.awareness.setLocalStateField('user', { name: 'Alice' });
    // Bob's room opens on B after Alice announced herself on A.
    const bob = join(b(), dealId, await world.globex.memberToken('alliance'));
    await bob.synced;
    await eventually(() =>
      expect(bob.provider.awareness.getStates().get(alice.doc.clientID)).toMatchObject({
        user: { name: 'Alice' },
      }),
    );
    bob.provider.awareness.setLocalStateField('user', { name: 'Bob' });
    await eventually(() =>
      expect(alice.provider.awareness.getStates().get(bob.doc.clientID)).toMatchObject({
        user: { name: 'Bob' },
      }),
    );
    alice.stop();
    await eventually(() =>
      expect(bob.provider.awareness.getStates().has(alice.doc.clientID)).toBe(false),
    );
  });

  it('closes a socket on one instance when the company is removed through the other', async () => {
    const dealId = await sharedDeal(world, 'Removed across');
    const bob = join(b(), dealId, await world.globex.memberToken('alliance'));
    await bob.synced;
    await world.a.opportunities.removeParticipant.mutate({
      id: dealId,
      companyId: world.globex.id,
    });
    await eventually(() => expect(bob.closes).toEqual([4403]), 1000);
  });

  it('refuses a token revoked on one instance on the other within a second, socket and API', async () => {
    const dealId = await sharedDeal(world, 'Revoked across');
    const token = await world.globex.memberToken('alliance');
    const onB = b().client(token);
    await onB.opportunities.get.query({ id: dealId });
    const bob = join(b(), dealId, token);
    await bob.synced;
    await a().client(token).tokens.revokeCurrent.mutate();
    await eventually(async () => {
      expect(bob.closes[0]).toBe(4401);
      await expect(onB.opportunities.get.query({ id: dealId })).rejects.toThrow();
    }, 1000);
  });

  it('keeps every accepted edit when the instances restart one after the other', async () => {
    const dealId = await sharedDeal(world, 'Restarts');
    const aliceToken = await world.acme.memberToken('alliance');
    const bobToken = await world.globex.memberToken('alliance');
    let alice = join(a(), dealId, aliceToken);
    const bob = join(b(), dealId, bobToken);
    await Promise.all([alice.synced, bob.synced]);
    notesText(alice.doc).insert(0, 'one;');
    await eventually(() => expect(notesText(bob.doc).toString()).toBe('one;'));

    // A goes; B's people carry on; A comes back and its room holds what B took meanwhile.
    alice.stop();
    await cluster.restart(0);
    notesText(bob.doc).insert(notesText(bob.doc).length, 'two;');
    await eventually(async () =>
      expect(notesText(await stored(a(), dealId)).toString()).toBe('one;two;'),
    );
    alice = join(a(), dealId, aliceToken);
    await alice.synced;
    expect(notesText(alice.doc).toString()).toBe('one;two;');

    // Then B goes and comes back: its room is rebuilt from the store, A's edit included.
    bob.stop();
    notesText(alice.doc).insert(notesText(alice.doc).length, 'three;');
    await cluster.restart(1);
    const bob2 = join(b(), dealId, bobToken);
    await bob2.synced;
    await eventually(() => expect(notesText(bob2.doc).toString()).toBe('one;two;three;'));
    const doc = await stored(b(), dealId);
    expect(notesText(doc).toString()).toBe('one;two;three;');
    // The notes reached the tables too (settled on whichever instance took the last edit).
    const onB = b().client(bobToken);
    await eventually(async () =>
      expect((await onB.opportunities.get.query({ id: dealId })).fields!.notes).toBe(
        'one;two;three;',
      ),
    );
  });
});
