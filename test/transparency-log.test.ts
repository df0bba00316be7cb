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
import fs from 'node:fs';
import os from 'node:os';
import nodePath from 'node:path';
import { refusal } from './kit/refusal.ts';
import { runCliAsync } from './kit/process.ts';
import { streamExport } from '../server/attribution/attribution-export.ts';
import { verifyExport, type ExportFile } from '../client/sdk/verify/export-verifier.ts';

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

  it('cites receipts on a duplicate flag, so which registration came first is read off the log', async () => {
    const customer = { name: 'Umbrella', domain: 'umbrella.example' };
    const first = await sharedDeal(world, 'Umbrella rollout', { customer });
    const second = await sharedDeal(world, 'Umbrella rollout', { customer });
    await roundA();
    await roundB();
    const { receipts, duplicates } = await world.b.transparency.receipt.query({ dealId: second });
    expect(duplicates.map((d) => d.dealId)).toEqual([first]);
    const mine = receipts[0]!;
    const theirs = duplicates[0]!.receipts[0]!;
    expect(theirs.origin).toBe(mine.origin);
    expect(theirs.leafIndex).toBeLessThan(mine.leafIndex);
    expect(theirs.vouchedAt).not.toBeNull();
    expect(await receiptHolds(world.b, first)).toBe(true);
  });

  it('puts every exported record under a jointly cosigned checkpoint, and the offline verifier catches each tampering', async () => {
    const won = await world.a.opportunities.create.mutate({
      fields: {
        title: 'Won together',
        customer: { name: 'Hooli' },
        amountMinor: 900_000,
        currency: 'EUR',
        stage: 'won',
        closeDate: '2026-03-02',
      },
      shareWith: [{ partner: 'globex', role: 'co_seller' }],
    });
    await world.b.opportunities.accept.mutate({ id: won.id });
    await world.a.attribution.propose.mutate({
      dealId: won.id,
      splits: [
        { companyId: world.acme.id, kind: 'sourced', bps: 6000 },
        { companyId: world.globex.id, kind: 'influenced', bps: 4000 },
      ],
    });
    await world.a.attribution.sign.mutate({ dealId: won.id, version: 1 });
    await world.b.attribution.sign.mutate({ dealId: won.id, version: 1 });
    const exportNow = async () => {
      let json = '';
      await streamExport(
        server.deps,
        { companyId: world.acme.id },
        {
          from: '2026-01-01',
          to: '2026-12-31',
          label: '2026',
          sinks: { json: (c) => void (json += c) },
        },
      );
      return JSON.parse(json) as ExportFile;
    };
    const keys = async (iss: string) =>
      (
        await fetch(
          `${iss.replace(server.deps.config.publicUrl, server.url)}/.well-known/jwks.json`,
        )
      ).json() as never;
    const logKey = (await (await fetch(`${server.url}/.well-known/tandem-log.vkey`)).text()).trim();
    const verify = (file: ExportFile) => verifyExport(file, keys, { logKey });

    // Sealed after the last joint checkpoint: not yet vouched for by both witnesses.
    const early = await verify(await exportNow());
    expect(early.ok).toBe(false);
    expect(early.firstBad!.reason).toMatch(
      /not yet covered by a checkpoint both companies cosigned/,
    );
    await roundA();
    await roundB();
    const file = await exportNow();
    expect(await verify(file)).toMatchObject({ ok: true, records: 1, inclusions: 1 });

    const copy = () => JSON.parse(JSON.stringify(file)) as ExportFile;
    const removed = copy();
    removed.records = [];
    expect((await verify(removed)).firstBad!.reason).toMatch(/manifest counts 1 records/);
    const bentPath = copy();
    const path = bentPath.records[0]!.inclusion![0]!.path;
    path[0] = (path[0]!.startsWith('A') ? 'B' : 'A') + path[0]!.slice(1);
    expect((await verify(bentPath)).firstBad!.reason).toMatch(/inclusion proof does not lead/);
    const oneWitness = copy();
    const [origin, note] = Object.entries(oneWitness.transparency!.checkpoints)[0]!;
    oneWitness.transparency!.checkpoints[origin] = note
      .split('\n')
      .filter((l) => !l.includes('globex.example/witness'))
      .join('\n');
    expect((await verify(oneWitness)).firstBad!.reason).toMatch(/not cosigned by the witness of/);
    // The same through `tandem verify`, offline but for the JWK Sets and the log key it fetches.
    const dir = fs.mkdtempSync(nodePath.join(os.tmpdir(), 'tandem-export-'));
    const jwks = [world.acme.id, world.globex.id]
      .map((id) => `${server.url}/companies/${id}/.well-known/jwks.json`)
      .join(',');
    const verifyCli = async (name: string, content: ExportFile) => {
      fs.writeFileSync(nodePath.join(dir, name), JSON.stringify(content));
      return runCliAsync(
        [
          'verify',
          nodePath.join(dir, name),
          '--jwks',
          jwks,
          '--log-key',
          `${server.url}/.well-known/tandem-log.vkey`,
        ],
        { TANDEM_DEMO: '0' },
      );
    };
    const cli = await verifyCli('good.json', file);
    expect(cli.stdout).toContain('1 records proven in the partnership logs');
    expect(cli.status).toBe(0);
    const bentCli = await verifyCli('bent.json', bentPath);
    expect(bentCli.stdout).toMatch(/FAILED at record 0 .*inclusion proof does not lead/);
    expect(bentCli.status).toBe(1);
    fs.rmSync(dir, { recursive: true, force: true });
    const otherLogKey = await verifyExport(file, keys, {
      logKey: (await newWitnessKey('impostor.example/log')).vkey.replace(/\+B/, '+A'),
    });
    expect(otherLogKey.ok).toBe(false);
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
