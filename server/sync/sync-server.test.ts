import http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as Y from 'yjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeCodes } from '../../shared/sync/close-codes.ts';
import { fieldsMap } from '../../shared/sync/deal-doc.ts';
import { partnerPair, sharedDeal, type PartnerPair } from '../../test/kit/fixtures.ts';
import { startTestServer, type TestServer } from '../../test/kit/harness.ts';
import { eventually, joinRoom, type RoomClient } from '../../test/kit/sync-client.ts';
import type { AppDeps } from '../deps.ts';
import { SyncRefusal, UpdateDenied, type SyncHooks } from './hooks.ts';
import { defaultSyncLimits, SyncServer } from './sync-server.ts';

// Sync with hooks that know nothing of deals: tokens are the names of who may write, read or be
// told no; a document is whatever its name says. The update log's rows belong to deals, so the
// documents are a real server's deals, served here by a second SyncServer with these hooks.
type Who = { name: string };

let tandem: TestServer;
let world: PartnerPair;
let deps: AppDeps;
let sync: SyncServer<Who>;
let server: http.Server;
let url: string;
const open: RoomClient[] = [];

function plainHooks(): SyncHooks<Who> {
  return {
    async onAuthenticate({ token }) {
      if (!['writer', 'reader', 'naysayer'].includes(token))
        throw new SyncRefusal(closeCodes.badToken);
      return {
        context: { name: token },
        companyId: 'one',
        subjectId: token,
        readOnly: token === 'reader',
        expiresAtMs: Date.now() + 60_000,
      };
    },
    async onRecheck() {},
    async onLoadDocument({ documentName, document }) {
      fieldsMap(document).set('title', `Built for ${documentName}`);
    },
    async onUpdate({ documentName, update, origin, context }) {
      if (context.name === 'naysayer') throw new UpdateDenied('no edits from naysayers');
      await deps.writes.run(async (trx) => {
        const session = deps.docs.session(deps.writes.current());
        Y.applyUpdate(await session.doc(trx, documentName), update, origin);
        await session.persist(trx, new Date().toISOString());
      });
      return {};
    },
  };
}

beforeAll(async () => {
  tandem = await startTestServer();
  world = await partnerPair(tandem);
  deps = tandem.deps;
  sync = new SyncServer(deps, plainHooks(), defaultSyncLimits);
  server = http.createServer((_req, res) => res.writeHead(404).end());
  server.on('upgrade', (req, socket, head) => {
    if (!sync.handleUpgrade(req, socket, head)) socket.destroy();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  for (const client of open) client.stop();
  sync.close();
  await new Promise((resolve) => server.close(resolve));
  await sync.settle();
  await tandem.stop();
});

function join(name: string, token: string): RoomClient {
  const client = joinRoom(url, name, token);
  open.push(client);
  return client;
}

const storedUpdates = async (name: string) =>
  (await deps.db.selectFrom('deal_doc_updates').select('id').where('deal_id', '=', name).execute())
    .length;

describe('sync with hooks that know no domain', () => {
  it('closes a socket with the close code of the refusal onAuthenticate threw', async () => {
    const stranger = join(await sharedDeal(world, 'A'), 'stranger');
    await eventually(() => expect(stranger.closes).toEqual([closeCodes.badToken.code]));
  });

  it('builds a document with onLoadDocument, then relays an edit onUpdate wrote, from its commit', async () => {
    const doc = await sharedDeal(world, 'B');
    const alice = join(doc, 'writer');
    const bob = join(doc, 'reader');
    await Promise.all([alice.synced, bob.synced]);
    expect(fieldsMap(bob.doc).get('title')).toBe(`Built for ${doc}`);
    expect(await storedUpdates(doc)).toBe(1);

    fieldsMap(alice.doc).set('nextStep', 'Relayed');
    await eventually(() => expect(fieldsMap(bob.doc).get('nextStep')).toBe('Relayed'));
    expect(await storedUpdates(doc)).toBe(2);
  });

  it('tells the sender what onUpdate denied, keeps its socket, and relays nothing', async () => {
    const doc = await sharedDeal(world, 'C');
    const nay = join(doc, 'naysayer');
    const reader = join(doc, 'reader');
    await Promise.all([nay.synced, reader.synced]);
    fieldsMap(nay.doc).set('nextStep', 'Denied');
    await eventually(() => expect(nay.denied).toEqual(['no edits from naysayers']));
    expect(nay.closes).toEqual([]);
    expect(fieldsMap(reader.doc).get('nextStep')).toBeUndefined();
    expect(await storedUpdates(doc)).toBe(1);
  });

  it('checks the bytes before any hook: a root outside the layout is denied', async () => {
    const doc = await sharedDeal(world, 'D');
    const alice = join(doc, 'writer');
    await alice.synced;
    alice.doc.getMap('smuggled').set('x', 1);
    await eventually(() =>
      expect(alice.denied.join()).toMatch(/smuggled: not part of the deal room/),
    );
    expect(await storedUpdates(doc)).toBe(1);
  });
});
