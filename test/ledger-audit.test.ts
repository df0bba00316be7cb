import fs from 'node:fs';
import { sql } from 'kysely';
import { compactVerify, createLocalJWKSet } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rebuildDealProjections } from '../server/opportunities/rebuild-projections.ts';
import { startTestServer, tempDataDir, type TestServer } from './kit/harness.ts';
import { runCli, runCliAsync } from './kit/process.ts';
import { signCheckpoint } from '../server/ledger/checkpoint.service.ts';
import { dropStoreOf } from './kit/stores.ts';

const dataDir = tempDataDir();
const env = { TANDEM_DATA_DIR: dataDir, TANDEM_PUBLIC_URL: 'http://tandem.test' };
let server: TestServer;
let dealId: string;

const fields = {
  title: 'Audit trail',
  customer: { name: 'Hooli', domain: 'hooli.example' },
  amountMinor: 500_000,
  currency: 'EUR',
};

beforeAll(async () => {
  server = await startTestServer({ dataDir });
  const acme = await server.company('acme');
  const globex = await server.company('globex');
  const a = server.client(await acme.memberToken('alliance'));
  const b = server.client(await globex.memberToken('seller'));
  const p = await a.partnerships.invite.mutate({ partner: 'globex', partnerType: 'service' });
  await server
    .client(await globex.memberToken('admin'))
    .partnerships.accept.mutate({ partnershipId: p.id });
  const deal = await a.opportunities.create.mutate({
    fields,
    externalRef: 'CRM-1',
    shareWith: [{ partner: 'globex', role: 'fulfilment' }],
  });
  dealId = deal.id;
  await b.opportunities.accept.mutate({ id: dealId });
  await b.opportunities.update.mutate({
    id: dealId,
    patch: { stage: 'qualified', nextStep: 'Scoping workshop' },
  });
  const step = await a.steps.add.mutate({
    dealId,
    step: { play: 'discovery', ownerCompanyId: globex.id },
  });
  await b.steps.update.mutate({ dealId, stepId: step.id, patch: { status: 'doing' } });
  await a.opportunities.update.mutate({
    id: dealId,
    patch: { stage: 'lost', closeDate: '2026-11-01', lostReason: 'price' },
  });
  await a.opportunities.create.mutate({
    fields: { ...fields, title: 'Second' },
    shareWith: [{ partner: 'globex', role: 'co_seller' }],
  });
});
afterAll(async () => {
  await server.stop();
  await dropStoreOf(dataDir);
  fs.rmSync(dataDir, { recursive: true, force: true });
});

async function dump(): Promise<Record<string, unknown[]>> {
  const db = server.deps.db;
  return {
    opportunities: await db.selectFrom('opportunities').selectAll().orderBy('id').execute(),
    participants: await db
      .selectFrom('opportunity_participants')
      .selectAll()
      .orderBy('opportunity_id')
      .orderBy('company_id')
      .execute(),
    refs: await db
      .selectFrom('opportunity_refs')
      .selectAll()
      .orderBy('company_id')
      .orderBy('external_ref')
      .execute(),
    steps: await db.selectFrom('co_sell_steps').selectAll().orderBy('id').execute(),
    duplicates: await db
      .selectFrom('duplicate_flags')
      .selectAll()
      .orderBy('opportunity_id')
      .execute(),
    docs: await db.selectFrom('deal_doc_updates').selectAll().orderBy('id').execute(),
  };
}

describe('the ledger as an audit trail', () => {
  it('rebuilds projections from the events that equal the live tables', async () => {
    // The deals' room documents are not projections: a rebuild keeps them (once deleting the
    // deals cascaded to them, and every room lost its history).
    for (const { id } of await server.deps.db.selectFrom('opportunities').select('id').execute())
      await server.deps.docs.open(server.deps, id);
    const live = await dump();
    expect(live.opportunities).toHaveLength(2);
    expect(live.docs).toHaveLength(2);
    const { events } = await rebuildDealProjections(server.deps.db);
    expect(events).toBeGreaterThan(8);
    expect(await dump()).toEqual(live);
  });

  it('signs checkpoints of the log head that verify offline with the deployment JWKS', async () => {
    // The operator's command; companies get no global checkpoint (it would tell them the log size).
    // Not spawnSync: a frozen test process leaves the server's keep-alive sockets stale.
    const signed = await runCliAsync(['ledger', 'checkpoint'], env);
    expect(signed.stderr).toBe('');
    const checkpoint = JSON.parse(signed.stdout) as { size: number; headHash: string; jws: string };
    const jwks = (await (await fetch(`${server.url}/.well-known/jwks.json`)).json()) as {
      keys: [];
    };
    const { payload, protectedHeader } = await compactVerify(
      checkpoint.jws,
      createLocalJWKSet(jwks),
    );
    expect(protectedHeader.typ).toBe('tandem-ledger-checkpoint+jws');
    const body = JSON.parse(new TextDecoder().decode(payload)) as { size: number; head: string };
    expect(body).toMatchObject({ size: checkpoint.size, head: checkpoint.headHash });
  });

  it('passes tandem ledger verify, then fails it at the event edited directly in the database', async () => {
    const ok = runCli(['ledger', 'verify', '--json'], env);
    expect(ok.status).toBe(0);
    expect(JSON.parse(ok.stdout)).toMatchObject({ ok: true });

    // Behind the server's back: straight into the table, on whichever store this run uses.
    const db = server.deps.db;
    const target = await db
      .selectFrom('ledger_events')
      .select('seq')
      .where('deal_id', '=', dealId)
      .where('type', '=', 'opportunity.updated')
      .orderBy('seq')
      .limit(1)
      .executeTakeFirstOrThrow();
    const edited = await db
      .updateTable('ledger_events')
      .set({ data: sql<string>`replace(data, 'qualified', 'committed')` })
      .where('seq', '=', target.seq)
      .executeTakeFirst();
    expect(edited.numUpdatedRows).toBe(1n);

    const broken = runCli(['ledger', 'verify'], env);
    expect(broken.status).toBe(1);
    expect(broken.stdout).toContain(`BROKEN at event ${target.seq} (deal ${dealId})`);
    expect(broken.stdout).toContain('the row was edited');
  });
});

describe('a ledger cut short', () => {
  it('is caught by the signed checkpoint even though the remaining chain is intact', async () => {
    const dir = tempDataDir();
    const other = await startTestServer({ dataDir: dir });
    try {
      const acme = await other.company('acme');
      const a = other.client(await acme.memberToken('admin'));
      for (let i = 0; i < 3; i++)
        await a.opportunities.create.mutate({ fields: { ...fields, title: `Deal ${i}` } });
      await signCheckpoint(other.deps);
      const cut = await other.deps.db
        .deleteFrom('ledger_events')
        .where('seq', '=', (eb) => eb.selectFrom('ledger_events').select(eb.fn.max('seq').as('m')))
        .executeTakeFirst();
      expect(cut.numDeletedRows).toBe(1n);
    } finally {
      await other.stop();
    }
    const result = runCli(['ledger', 'verify'], { ...env, TANDEM_DATA_DIR: dir });
    expect(result.status).toBe(1);
    expect(result.stdout).toContain('tail was cut off');
    await dropStoreOf(dir);
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
