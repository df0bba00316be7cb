import * as Y from 'yjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { notesText } from '../../shared/sync/deal-doc.ts';
import { partnerPair, sharedDeal, type PartnerPair } from '../../test/kit/fixtures.ts';
import { startTestServer, type TestServer } from '../../test/kit/harness.ts';
import type { SyncHooks } from '../sync/hooks.ts';
import type { Principal } from '../tenants/principal.ts';
import { dealRoomHooks } from './deal-room.sync-hook.ts';

let server: TestServer;
let world: PartnerPair;

beforeAll(async () => {
  server = await startTestServer();
  world = await partnerPair(server);
});
afterAll(() => server.stop());

/** Types `text` at the end of the deal's notes, as globex, through the hooks' onUpdate. */
async function type(hooks: SyncHooks<Principal>, dealId: string, text: string): Promise<void> {
  const token = await world.globex.memberToken('alliance');
  const { context } = await hooks.onAuthenticate({ documentName: dealId, token });
  const live = await server.deps.docs.open(server.deps, dealId);
  const doc = new Y.Doc();
  Y.applyUpdate(doc, Y.encodeStateAsUpdate(live));
  const before = Y.encodeStateVector(doc);
  notesText(doc).insert(notesText(doc).length, text);
  const update = Y.encodeStateAsUpdate(doc, before);
  doc.destroy();
  expect(
    await hooks.onUpdate({ documentName: dealId, token, context, update, origin: null }),
  ).toEqual({});
}

const tableNotes = async (dealId: string) =>
  (await world.a.opportunities.get.query({ id: dealId })).fields!.notes ?? '';
const due = (dealId: string) =>
  server.deps.db.selectFrom('notes_due').select('deal_id').where('deal_id', '=', dealId).execute();

describe('the deal-room hook: onSettle and onDestroy (the notes settler)', () => {
  it('holds notes typed within the window out of the tables, noted as due, and settles them as the typist', async () => {
    const hooks = dealRoomHooks(server.deps, { notesEveryMs: 60_000 });
    const dealId = await sharedDeal(world, 'Typing');
    await type(hooks, dealId, 'First');
    expect(await tableNotes(dealId)).toBe('First');
    await type(hooks, dealId, ', then more');
    expect(await tableNotes(dealId)).toBe('First');
    expect(await due(dealId)).toHaveLength(1);

    await hooks.onSettle!();
    expect(await tableNotes(dealId)).toBe('First, then more');
    expect(await due(dealId)).toEqual([]);
    const last = await server.deps.db
      .selectFrom('ledger_events')
      .select(['type', 'actor_company_id'])
      .where('deal_id', '=', dealId)
      .orderBy('deal_seq', 'desc')
      .executeTakeFirstOrThrow();
    expect(last).toEqual({ type: 'opportunity.updated', actor_company_id: world.globex.id });
    await hooks.onDestroy!();
  });

  it('settles what is due when destroyed, and holds nothing back after', async () => {
    const hooks = dealRoomHooks(server.deps, { notesEveryMs: 60_000 });
    const dealId = await sharedDeal(world, 'Stopping');
    await type(hooks, dealId, 'One');
    await type(hooks, dealId, ' two');
    expect(await tableNotes(dealId)).toBe('One');

    await hooks.onDestroy!();
    expect(await tableNotes(dealId)).toBe('One two');
    await type(hooks, dealId, ' three');
    expect(await tableNotes(dealId)).toBe('One two three');
    expect(await due(dealId)).toEqual([]);
  });
});
