import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { leafHash, verifyInclusion } from '../shared/ledger/merkle.ts';
import {
  fromBase64,
  parseCheckpoint,
  parseNote,
  parseVkey,
  verifyNoteSignature,
} from '../shared/ledger/signed-note.ts';
import {
  apiLog,
  loadWitnessKey,
  newWitnessKey,
  witnessRound,
  type WitnessKey,
  type WitnessState,
} from '../client/sdk/witness.ts';
import type { TandemClient } from '../client/sdk/tandem-client.ts';
import { partnerPair, sharedDeal, type PartnerPair } from './kit/fixtures.ts';
import { startTestServer, type TestServer } from './kit/harness.ts';
import { refusal } from './kit/refusal.ts';

let server: TestServer;
let world: PartnerPair;
let witnessA: WitnessKey;
let witnessB: WitnessKey;
let vkeyA: string;
let vkeyB: string;
let stateA: WitnessState = { logs: {} };
let stateB: WitnessState = { logs: {} };
let dealId: string;

async function roundA() {
  const r = await witnessRound(apiLog(world.a), witnessA, stateA);
  stateA = r.state;
  return r.outcomes;
}
async function roundB() {
  const r = await witnessRound(apiLog(world.b), witnessB, stateB);
  stateB = r.state;
  return r.outcomes;
}

/** Checks a receipt the way a company's own tooling would: only with the three public keys. */
async function receiptHolds(client: TandemClient, id: string): Promise<boolean> {
  const { receipts } = await client.transparency.receipt.query({ dealId: id });
  const r = receipts[0]!;
  if (!r.checkpoint || !r.proof) return false;
  const note = parseNote(r.checkpoint.note);
  const cp = parseCheckpoint(note.body);
  const logKey = parseVkey((await client.transparency.logKey.query()).vkey);
  const signed =
    (await verifyNoteSignature(note, logKey)) &&
    (await verifyNoteSignature(note, parseVkey(vkeyA))) &&
    (await verifyNoteSignature(note, parseVkey(vkeyB)));
  return (
    Boolean(signed) &&
    verifyInclusion(leafHash(r.entry), r.leafIndex, cp.size, r.proof.map(fromBase64), cp.rootHash)
  );
}

beforeAll(async () => {
  server = await startTestServer();
  world = await partnerPair(server, { role: 'admin' });
  const a = await newWitnessKey('acme.example/witness');
  const b = await newWitnessKey('globex.example/witness');
  vkeyA = a.vkey;
  vkeyB = b.vkey;
  witnessA = await loadWitnessKey(a);
  witnessB = await loadWitnessKey(b);
  await world.a.transparency.registerWitnessKey.mutate({ vkey: a.vkey });
  await world.b.transparency.registerWitnessKey.mutate({ vkey: b.vkey });
  dealId = await sharedDeal(world, 'Logged deal');
});
afterAll(() => server.stop());

describe('the partnership transparency log', () => {
  it('gives a deal a receipt both companies’ witnesses vouch for: leaf, proof and a jointly cosigned checkpoint', async () => {
    const before = await world.a.transparency.receipt.query({ dealId });
    expect(before.receipts).toHaveLength(1);
    expect(before.receipts[0]!.checkpoint).toBeNull();
    expect((await roundA())[0]).toMatchObject({ outcome: 'cosigned' });
    expect((await roundB())[0]).toMatchObject({ outcome: 'cosigned' });
    expect((await roundA())[0]).toMatchObject({ outcome: 'unchanged' });
    const [log] = await world.b.transparency.logs.query();
    expect(log!.latestJoint?.joint).toBe(true);
    const { receipts } = await world.b.transparency.receipt.query({ dealId });
    const entry = JSON.parse(receipts[0]!.entry) as { type: string; dealId: string };
    expect(entry).toMatchObject({ type: 'participant.invited', dealId });
    expect(await receiptHolds(world.a, dealId)).toBe(true);
    expect(await receiptHolds(world.b, dealId)).toBe(true);
  });

  it('grows append-only: the witnesses check consistency from what they cosigned and cosign again', async () => {
    const size = stateA.logs[Object.keys(stateA.logs)[0]!]!.size;
    await world.a.opportunities.update.mutate({ id: dealId, patch: { stage: 'qualified' } });
    await sharedDeal(world, 'Second logged deal');
    expect((await roundA())[0]).toMatchObject({ outcome: 'cosigned' });
    expect((await roundB())[0]).toMatchObject({ outcome: 'cosigned' });
    const [log] = await world.a.transparency.logs.query();
    expect(log!.latestJoint!.size).toBeGreaterThan(size);
    const { proof } = await world.a.transparency.consistency.query({
      partnershipId: log!.partnershipId,
      from: size,
      to: log!.latestJoint!.size,
    });
    expect(proof.length).toBeGreaterThan(0);
  });

  it('refuses a cosignature that is not the company’s witness’s, and shows another company nothing', async () => {
    const [log] = await world.a.transparency.logs.query();
    const forged = (await newWitnessKey('acme.example/witness')).vkey;
    const other = await loadWitnessKey({ ...(await newWitnessKey('x.example/w')), vkey: forged });
    const note = parseNote(log!.latest!.note);
    const { cosign } = await import('../shared/ledger/signed-note.ts');
    const line = await cosign(
      other.verifier,
      other.privateKey,
      note.body,
      Math.floor(Date.now() / 1000),
    );
    expect(
      await refusal(
        world.a.transparency.cosign.mutate({
          partnershipId: log!.partnershipId,
          size: log!.latest!.size,
          cosignature: line,
        }),
      ),
    ).toMatchObject({ data: { code: 'ValidationFailed' } });
    const charlie = await server.company('charlie');
    const c = server.client(await charlie.memberToken('admin'));
    expect(
      await refusal(c.transparency.checkpoint.mutate({ partnershipId: log!.partnershipId })),
    ).toMatchObject({ data: { code: 'NotFound' } });
    expect(await refusal(c.transparency.receipt.query({ dealId }))).toMatchObject({
      data: { code: 'NotFound' },
    });
    expect(await c.transparency.logs.query()).toEqual([]);
  });

  it('catches a rewritten registration date: the receipt no longer proves, and a rebuilt tree is a fork the witnesses refuse', async () => {
    expect(await receiptHolds(world.a, dealId)).toBe(true);
    // The operator moves the deal's registration a month earlier, in the database itself.
    await server.deps.db
      .updateTable('ledger_events')
      .set({ at: '2026-01-01T00:00:00.000Z' })
      .where('deal_id', '=', dealId)
      .where('deal_seq', '<=', 2)
      .execute();
    expect(await receiptHolds(world.a, dealId)).toBe(false);
    // A careful operator rebuilds the whole tree from the edited ledger: a new history.
    for (const table of [
      'transparency_leaves',
      'transparency_nodes',
      'transparency_cursor',
      'transparency_cosignatures',
      'transparency_checkpoints',
    ] as const)
      await server.deps.db.deleteFrom(table).execute();
    await world.a.opportunities.update.mutate({ id: dealId, patch: { stage: 'committed' } });
    const outcomes = await roundA();
    expect(outcomes[0]).toMatchObject({ outcome: 'alarm' });
    expect(outcomes[0]!.detail).toMatch(/fork/);
    expect((await roundB())[0]).toMatchObject({ outcome: 'alarm' });
    const [log] = await world.a.transparency.logs.query();
    expect(log!.latestJoint).toBeNull();
    const alarms = await world.a.transparency.alarms.query();
    expect(alarms[0]!.detail).toMatch(/does not extend/);
  });
});
