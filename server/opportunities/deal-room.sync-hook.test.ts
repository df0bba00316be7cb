import * as Y from 'yjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeCodes, type CloseReason } from '../../shared/sync/close-codes.ts';
import { fieldsMap } from '../../shared/sync/deal-doc.ts';
import { partnerPair, sharedDeal, type PartnerPair } from '../../test/kit/fixtures.ts';
import { startTestServer, type TestServer } from '../../test/kit/harness.ts';
import { loadUpdates } from '../sync/doc-store.ts';
import { SyncRefusal, type SyncHooks } from '../sync/hooks.ts';
import type { Principal } from '../tenants/principal.ts';
import { dealRoomHooks } from './deal-room.sync-hook.ts';

let server: TestServer;
let world: PartnerPair;
let hooks: SyncHooks<Principal>;

beforeAll(async () => {
  server = await startTestServer();
  world = await partnerPair(server);
  hooks = dealRoomHooks(server.deps, { notesEveryMs: 0 });
});
afterAll(async () => {
  await hooks.onDestroy?.();
  await server.stop();
});

/** The close reason a hook vetoed with (failing on anything else). */
async function refusal(attempt: Promise<unknown>): Promise<CloseReason> {
  const error = await attempt.then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  expect(error).toBeInstanceOf(SyncRefusal);
  return (error as SyncRefusal).close;
}

/** A client's update making `change` on the deal's document as the server now holds it. */
async function clientEdit(dealId: string, change: (doc: Y.Doc) => void): Promise<Uint8Array> {
  const live = await server.deps.docs.open(server.deps, dealId);
  const doc = new Y.Doc();
  Y.applyUpdate(doc, Y.encodeStateAsUpdate(live));
  const before = Y.encodeStateVector(doc);
  change(doc);
  const update = Y.encodeStateAsUpdate(doc, before);
  doc.destroy();
  return update;
}

async function admit(dealId: string, token: string): Promise<Principal> {
  return (await hooks.onAuthenticate({ documentName: dealId, token })).context;
}

describe('the deal-room hook: onAuthenticate', () => {
  it('admits a company that accepted the deal, read-only for a role that may not edit', async () => {
    const dealId = await sharedDeal(world, 'Admission');
    const editor = await hooks.onAuthenticate({
      documentName: dealId,
      token: await world.globex.memberToken('alliance'),
    });
    expect(editor).toMatchObject({ companyId: world.globex.id, readOnly: false });
    expect(editor.subjectId).toBe(editor.context.id);
    expect(editor.expiresAtMs).toBeGreaterThan(Date.now());
    const viewer = await hooks.onAuthenticate({
      documentName: dealId,
      token: await world.globex.memberToken('viewer'),
    });
    expect(viewer.readOnly).toBe(true);
  });

  it('refuses a token that is not one of ours, for good', async () => {
    const dealId = await sharedDeal(world, 'Forged');
    const forged = hooks.onAuthenticate({ documentName: dealId, token: 'eyJhbGciOi.x.y' });
    expect(await refusal(forged)).toBe(closeCodes.badToken);
  });

  it('refuses a company outside the deal as if there were no such deal', async () => {
    const dealId = await sharedDeal(world, 'Outsider');
    const token = await (await server.company('initech')).memberToken('admin');
    expect(await refusal(hooks.onAuthenticate({ documentName: dealId, token }))).toBe(
      closeCodes.notParticipant,
    );
    const nowhere = hooks.onAuthenticate({
      documentName: 'no-such-deal',
      token: await world.acme.memberToken('alliance'),
    });
    expect(await refusal(nowhere)).toBe(closeCodes.notParticipant);
  });

  it('refuses an API client that may not read opportunities', async () => {
    const dealId = await sharedDeal(world, 'Scopes');
    const { token } = await world.acme.clientToken(['partners:read']);
    expect(await refusal(hooks.onAuthenticate({ documentName: dealId, token }))).toBe(
      closeCodes.forbidden,
    );
  });
});

describe('the deal-room hook: onRecheck', () => {
  it('keeps a participant, and refuses one removed from the deal since it joined', async () => {
    const dealId = await sharedDeal(world, 'Recheck removal');
    const token = await world.globex.memberToken('alliance');
    const context = await admit(dealId, token);
    await hooks.onRecheck({ documentName: dealId, token, context });
    await world.a.opportunities.removeParticipant.mutate({
      id: dealId,
      companyId: world.globex.id,
    });
    expect(await refusal(hooks.onRecheck({ documentName: dealId, token, context }))).toBe(
      closeCodes.removed,
    );
  });

  it('refuses a token revoked since the socket joined', async () => {
    const dealId = await sharedDeal(world, 'Recheck revoked');
    const token = await world.acme.memberToken('alliance');
    const context = await admit(dealId, token);
    await server.client(token).tokens.revokeCurrent.mutate();
    expect(await refusal(hooks.onRecheck({ documentName: dealId, token, context }))).toBe(
      closeCodes.badToken,
    );
  });
});

describe('the deal-room hook: onUpdate', () => {
  it('writes a live edit through the one write path, so the tables and the ledger follow it', async () => {
    const dealId = await sharedDeal(world, 'Live edit');
    const token = await world.globex.memberToken('alliance');
    const context = await admit(dealId, token);
    const update = await clientEdit(dealId, (doc) => fieldsMap(doc).set('nextStep', 'Demo'));
    const outcome = await hooks.onUpdate({
      documentName: dealId,
      token,
      context,
      update,
      origin: null,
    });
    expect(outcome).toEqual({});
    const deal = await world.a.opportunities.get.query({ id: dealId });
    expect(deal.fields!.nextStep).toBe('Demo');
    const types = await server.deps.db
      .selectFrom('ledger_events')
      .select(['type', 'actor_company_id'])
      .where('deal_id', '=', dealId)
      .orderBy('deal_seq')
      .execute();
    expect(types.slice(-2)).toEqual([
      { type: 'doc.updated', actor_company_id: world.globex.id },
      { type: 'opportunity.updated', actor_company_id: world.globex.id },
    ]);
  });

  it('undoes the part of an edit the rules refuse, keeps the rest, and names what it refused', async () => {
    const dealId = await sharedDeal(world, 'Half right');
    const token = await world.acme.memberToken('alliance');
    const context = await admit(dealId, token);
    const update = await clientEdit(dealId, (doc) =>
      doc.transact(() => {
        fieldsMap(doc).set('amountMinor', -5);
        fieldsMap(doc).set('nextStep', 'Kept');
      }),
    );
    const { denied } = await hooks.onUpdate({
      documentName: dealId,
      token,
      context,
      update,
      origin: null,
    });
    expect(denied).toMatch(/^update refused: fields\.amountMinor: /);
    const deal = await world.a.opportunities.get.query({ id: dealId });
    expect(deal.fields).toMatchObject({ amountMinor: 500_000, nextStep: 'Kept' });
    expect(fieldsMap(server.deps.docs.live(dealId)!).get('amountMinor')).toBe(500_000);
  });

  it('asks for a resync when the update builds on changes the server does not have', async () => {
    const dealId = await sharedDeal(world, 'Gap');
    const token = await world.acme.memberToken('alliance');
    const context = await admit(dealId, token);
    const live = await server.deps.docs.open(server.deps, dealId);
    const doc = new Y.Doc();
    Y.applyUpdate(doc, Y.encodeStateAsUpdate(live));
    fieldsMap(doc).set('nextStep', 'never sent');
    const sent = Y.encodeStateVector(doc);
    fieldsMap(doc).set('nextStep', 'builds on it');
    const update = Y.encodeStateAsUpdate(doc, sent);
    const attempt = hooks.onUpdate({ documentName: dealId, token, context, update, origin: null });
    expect(await refusal(attempt)).toBe(closeCodes.resync);
    const deal = await world.a.opportunities.get.query({ id: dealId });
    expect(deal.fields!.nextStep ?? null).toBeNull();
  });

  it('starts every edit from the live document: a refused edit leaves nothing behind for the next', async () => {
    const dealId = await sharedDeal(world, 'After the gap');
    const token = await world.acme.memberToken('alliance');
    const context = await admit(dealId, token);
    const live = await server.deps.docs.open(server.deps, dealId);
    const edit = (update: Uint8Array) =>
      hooks.onUpdate({ documentName: dealId, token, context, update, origin: null });
    await edit(await clientEdit(dealId, (doc) => fieldsMap(doc).set('nextStep', 'Demo')));
    // Applied to the write's copy before it is refused: that copy must not be the next one's.
    const gap = new Y.Doc();
    Y.applyUpdate(gap, Y.encodeStateAsUpdate(live));
    fieldsMap(gap).set('nextStep', 'never sent');
    const sent = Y.encodeStateVector(gap);
    fieldsMap(gap).set('nextStep', 'builds on it');
    expect(await refusal(edit(Y.encodeStateAsUpdate(gap, sent)))).toBe(closeCodes.resync);
    for (const step of ['Pilot', 'Contract']) {
      expect(
        await edit(await clientEdit(dealId, (doc) => fieldsMap(doc).set('nextStep', step))),
      ).toEqual({});
      expect(fieldsMap(live).get('nextStep')).toBe(step);
    }
    const deal = await world.a.opportunities.get.query({ id: dealId });
    expect(deal.fields!.nextStep).toBe('Contract');
    // What is stored holds what the room holds.
    const stored = new Y.Doc();
    for (const update of await loadUpdates(server.deps.db, dealId)) Y.applyUpdate(stored, update);
    expect(fieldsMap(stored).toJSON()).toEqual(fieldsMap(live).toJSON());
    expect(stored.store.pendingStructs).toBeNull();
  });

  it('closes the socket of a company removed from the deal since it joined, writing nothing', async () => {
    const dealId = await sharedDeal(world, 'Removed editor');
    const token = await world.globex.memberToken('alliance');
    const context = await admit(dealId, token);
    await world.a.opportunities.removeParticipant.mutate({
      id: dealId,
      companyId: world.globex.id,
    });
    const update = await clientEdit(dealId, (doc) => fieldsMap(doc).set('nextStep', 'Too late'));
    const attempt = hooks.onUpdate({ documentName: dealId, token, context, update, origin: null });
    expect(await refusal(attempt)).toBe(closeCodes.removed);
    const deal = await world.a.opportunities.get.query({ id: dealId });
    expect(deal.fields!.nextStep ?? null).toBeNull();
  });
});
