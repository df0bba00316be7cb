import {
  createHash,
  createPublicKey,
  verify as cryptoVerify,
  type JsonWebKeyInput,
} from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { TRPCClientError } from '@trpc/client';
import { exportJWK, FlattenedSign, generateKeyPair } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TandemClient } from '../client/sdk/tandem-client.ts';
import { startTestServer, tempDataDir, type TestCompany, type TestServer } from './kit/harness.ts';
import { runCli, runCliAsync } from './kit/process.ts';

const dataDir = tempDataDir();
const out = tempDataDir();
const env = { TANDEM_DATA_DIR: dataDir, TANDEM_PUBLIC_URL: 'http://tandem.test' };
let server: TestServer;
let acme: TestCompany;
let globex: TestCompany;
let aAlliance: TandemClient;
let aFinance: TandemClient;
let bFinance: TandemClient;
let dealId: string;

async function code(p: Promise<unknown>): Promise<string | undefined> {
  const error = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(TRPCClientError);
  return (error as TRPCClientError<never>).data?.['code'];
}

function jwksUrls(): string {
  return [acme, globex]
    .map((c) => `${server.url}/companies/${c.id}/.well-known/jwks.json`)
    .join(',');
}

beforeAll(async () => {
  server = await startTestServer({ dataDir });
  acme = await server.company('acme');
  globex = await server.company('globex');
  aAlliance = server.client(await acme.memberToken('alliance'));
  aFinance = server.client(await acme.memberToken('finance'));
  bFinance = server.client(await globex.memberToken('finance'));
  const b = server.client(await globex.memberToken('alliance'));
  const p = await aAlliance.partnerships.invite.mutate({
    partner: 'globex',
    partnerType: 'reseller',
  });
  await b.partnerships.accept.mutate({ partnershipId: p.id });
  const deal = await aAlliance.opportunities.create.mutate({
    fields: {
      title: 'Won together',
      customer: { name: 'Initech' },
      amountMinor: 1_000_001,
      currency: 'EUR',
    },
    shareWith: [{ partner: 'globex', role: 'reseller' }],
  });
  dealId = deal.id;
  await b.opportunities.accept.mutate({ id: dealId });
});
afterAll(async () => {
  await server.stop();
  for (const dir of [dataDir, out]) fs.rmSync(dir, { recursive: true, force: true });
});

describe('attribution, signed by both companies', { timeout: 120_000 }, () => {
  it('refuses a proposal on a deal that is not won', async () => {
    const splits = [
      { companyId: acme.id, kind: 'sourced' as const, bps: 6000 },
      { companyId: globex.id, kind: 'fulfilment' as const, bps: 4000 },
    ];
    expect(await code(aAlliance.attribution.propose.mutate({ dealId, splits }))).toBe(
      'InvalidState',
    );
    await aAlliance.opportunities.update.mutate({
      id: dealId,
      patch: { stage: 'won', closeDate: '2026-08-14' },
    } as never);
  });

  it('allocates the amount exactly and names bad splits', async () => {
    const bad = aAlliance.attribution.propose.mutate({
      dealId,
      splits: [{ companyId: acme.id, kind: 'sourced', bps: 10_000 }],
    });
    expect(await code(bad)).toBe('ValidationFailed');
    const view = await aAlliance.attribution.propose.mutate({
      dealId,
      splits: [
        { companyId: globex.id, kind: 'fulfilment', bps: 3333 },
        { companyId: acme.id, kind: 'sourced', bps: 6667 },
      ],
      reporting: { [globex.id]: { currency: 'USD', rate: '1.0845' } },
    });
    const { statement } = view.versions[0]!;
    expect(statement.splits.reduce((s, p) => s + p.amountMinor, 0)).toBe(1_000_001);
    expect(statement.splits.find((s) => s.companyId === globex.id)?.reporting).toMatchObject({
      currency: 'USD',
      rate: '1.0845',
    });
  });

  it('lets only a party finance or admin member sign the current version', async () => {
    expect(
      await code(
        server
          .client(await acme.memberToken('seller'))
          .attribution.sign.mutate({ dealId, version: 1 }),
      ),
    ).toBe('Forbidden');
    const outsider = await server.company('umbrella');
    expect(
      await code(
        server
          .client(await outsider.memberToken('finance'))
          .attribution.sign.mutate({ dealId, version: 1 }),
      ),
    ).toBe('NotFound');
    // A newer proposal makes version 1 stale.
    await aAlliance.attribution.propose.mutate({
      dealId,
      splits: [
        { companyId: acme.id, kind: 'sourced', bps: 7000 },
        { companyId: globex.id, kind: 'fulfilment', bps: 3000 },
      ],
    });
    expect(await code(aFinance.attribution.sign.mutate({ dealId, version: 1 }))).toBe(
      'InvalidState',
    );
  });

  it('seals when both companies have signed, and exports a record both signatures verify', async () => {
    const half = await aFinance.attribution.sign.mutate({ dealId, version: 2 });
    expect(half.sealed).toBeNull();
    const dispute = await bFinance.attribution.dispute.mutate({
      dealId,
      version: 2,
      reason: 'we did the fulfilment alone',
    });
    expect(
      dispute.versions[0]!.parties.find((p) => p.companyId === globex.id)?.disputeReason,
    ).toContain('fulfilment');
    const sealed = await bFinance.attribution.sign.mutate({ dealId, version: 2 });
    expect(sealed.sealed).toMatchObject({ version: 2, status: 'sealed' });
    expect(sealed.needsNewVersion).toBe(false);

    const file = path.join(out, 'q3.json');
    const exported = runCli(
      ['export', '--company', 'acme', '--period', '2026-Q3', '--out', file],
      env,
    );
    expect(exported.status).toBe(0);
    expect(exported.stdout).toContain('exported 1 sealed');
    const verified = await runCliAsync(['verify', file, '--jwks', jwksUrls()], env);
    expect(verified.stdout).toContain('OK: 1 records, 2 signatures verified, CSV matches');
    expect(verified.status).toBe(0);
    expect(fs.readFileSync(file.replace('.json', '.csv'), 'utf8').split('\n')[1]).toContain(dealId);
  });

  it('serves the same export over REST to finance, and refuses a seller', async () => {
    const get = async (role: 'finance' | 'seller', kind: 'json' | 'csv') =>
      fetch(`${server.url}/api/v1/attribution/export.${kind}?period=2026-Q3`, {
        headers: { authorization: `Bearer ${await acme.memberToken(role)}` },
      });
    expect((await get('seller', 'json')).status).toBe(403);
    const json = (await (await get('finance', 'json')).json()) as {
      records: unknown[];
      manifest: { payload: string };
    };
    const fromCli = JSON.parse(fs.readFileSync(path.join(out, 'q3.json'), 'utf8')) as {
      records: unknown[];
    };
    expect(json.records).toEqual(fromCli.records);
    const csv = await (await get('finance', 'csv')).text();
    const manifest = JSON.parse(Buffer.from(json.manifest.payload, 'base64url').toString()) as {
      csvSha256: string;
    };
    expect(createHash('sha256').update(csv).digest('hex')).toBe(manifest.csvSha256);
    const bad = await fetch(`${server.url}/api/v1/attribution/export.json?period=2026-Q5`, {
      headers: { authorization: `Bearer ${await acme.memberToken('finance')}` },
    });
    expect(bad.status).toBe(400);
  });

  it('verifies with node:crypto alone, not only with our code', async () => {
    const file = JSON.parse(fs.readFileSync(path.join(out, 'q3.json'), 'utf8')) as {
      records: { payload: string; signatures: { protected: string; signature: string }[] }[];
    };
    const keys = new Map<string, JsonWebKeyInput['key']>();
    for (const c of [acme, globex]) {
      const jwks = (await (
        await fetch(`${server.url}/companies/${c.id}/.well-known/jwks.json`)
      ).json()) as { keys: (JsonWebKeyInput['key'] & { kid: string })[] };
      for (const k of jwks.keys) keys.set(k.kid, k);
    }
    const record = file.records[0]!;
    expect(record.signatures).toHaveLength(2);
    for (const sig of record.signatures) {
      const header = JSON.parse(Buffer.from(sig.protected, 'base64url').toString()) as {
        alg: string;
        kid: string;
      };
      expect(header.alg).toBe('EdDSA');
      const key = createPublicKey({ key: keys.get(header.kid)!, format: 'jwk' });
      expect(
        cryptoVerify(
          null,
          Buffer.from(`${sig.protected}.${record.payload}`),
          key,
          Buffer.from(sig.signature, 'base64url'),
        ),
      ).toBe(true);
    }
  });

  it('names a flipped byte in a payload, a signature or the CSV, with JWK Sets saved to files', async () => {
    const file = path.join(out, 'q3.json');
    const original = fs.readFileSync(file, 'utf8');
    const jwksFiles = await Promise.all(
      [acme, globex].map(async (c) => {
        const saved = path.join(out, `${c.slug}.jwks.json`);
        fs.writeFileSync(
          saved,
          await (await fetch(`${server.url}/companies/${c.id}/.well-known/jwks.json`)).text(),
        );
        return saved;
      }),
    );
    const tamper = (
      mutate: (doc: {
        records: { payload: string; signatures: { signature: string }[] }[];
      }) => void,
    ) => {
      const doc = JSON.parse(original) as {
        records: { payload: string; signatures: { signature: string }[] }[];
      };
      mutate(doc);
      const bad = path.join(out, 'bad.json');
      fs.writeFileSync(bad, JSON.stringify(doc));
      fs.copyFileSync(file.replace('.json', '.csv'), bad.replace('.json', '.csv'));
      return runCli(['verify', bad, '--jwks', jwksFiles.join(',')], env);
    };
    const flip = (s: string, at: number) =>
      s.slice(0, at) + (s[at] === 'A' ? 'B' : 'A') + s.slice(at + 1);
    const payload = tamper((d) => (d.records[0]!.payload = flip(d.records[0]!.payload, 40)));
    expect(payload.status).toBe(1);
    expect(payload.stdout).toContain('FAILED at record 0');
    const signature = tamper(
      (d) =>
        (d.records[0]!.signatures[1]!.signature = flip(d.records[0]!.signatures[1]!.signature, 10)),
    );
    expect(signature.status).toBe(1);
    expect(signature.stdout).toMatch(
      /FAILED at record 0 \(deal opp_[^)]+\): the signature of co_\S+ does not verify/,
    );
    const dropped = tamper((d) => d.records[0]!.signatures.pop());
    expect(dropped.stdout).toContain('missing the signature');

    const csv = file.replace('.json', '.csv');
    const text = fs.readFileSync(csv, 'utf8');
    fs.writeFileSync(csv, text.replace('sourced', 'sourcee'));
    const csvResult = runCli(['verify', file, '--jwks', jwksFiles.join(',')], env);
    expect(csvResult.status).toBe(1);
    expect(csvResult.stdout).toContain('the CSV does not match the manifest hash');
    fs.writeFileSync(csv, text);
  });

  it('keeps a sealed version when the amount changes, and asks for a new one that supersedes it', async () => {
    await aAlliance.opportunities.update.mutate({
      id: dealId,
      patch: { amountMinor: 2_000_000 },
    } as never);
    const stale = await bFinance.attribution.get.query({ dealId });
    expect(stale.needsNewVersion).toBe(true);
    expect(stale.sealed?.statement.amountMinor).toBe(1_000_001);
    await aAlliance.attribution.propose.mutate({
      dealId,
      splits: [
        { companyId: acme.id, kind: 'sourced', bps: 5000 },
        { companyId: globex.id, kind: 'fulfilment', bps: 5000 },
      ],
    });
    await aFinance.attribution.sign.mutate({ dealId, version: 3 });
    const resealed = await bFinance.attribution.sign.mutate({ dealId, version: 3 });
    expect(resealed.sealed?.version).toBe(3);
    expect(resealed.versions.find((v) => v.version === 2)?.status).toBe('superseded');
    expect(resealed.sealed?.statement.previousHash).toBe(
      resealed.versions.find((v) => v.version === 2)?.statementHash,
    );
  });

  it('accepts a signature a company made with its own registered key', async () => {
    const { publicKey, privateKey } = await generateKeyPair('EdDSA', { crv: 'Ed25519' });
    const bAdmin = server.client(await globex.memberToken('admin'));
    const key = await bAdmin.keys.registerExternal.mutate({
      jwk: (await exportJWK(publicKey)) as never,
      purpose: 'attestation',
    });
    await aAlliance.opportunities.update.mutate({
      id: dealId,
      patch: { amountMinor: 2_500_000 },
    } as never);
    const proposed = await aAlliance.attribution.propose.mutate({
      dealId,
      splits: [
        { companyId: acme.id, kind: 'sourced', bps: 5000 },
        { companyId: globex.id, kind: 'fulfilment', bps: 5000 },
      ],
    });
    const { canonicalJson } = await import('../shared/ledger/canonical-json.ts');
    const payload = new TextEncoder().encode(canonicalJson(proposed.versions[0]!.statement));
    const sign = (iss: string) =>
      new FlattenedSign(payload)
        .setProtectedHeader({ alg: 'EdDSA', kid: key.kid, iss })
        .sign(privateKey);
    const wrongIssuer = await sign(`http://tandem.test/companies/${acme.id}`);
    expect(
      await code(
        bFinance.attribution.submitSignature.mutate({
          dealId,
          version: 4,
          protected: wrongIssuer.protected!,
          signature: wrongIssuer.signature,
        }),
      ),
    ).toBe('ValidationFailed');
    const own = await sign(`http://tandem.test/companies/${globex.id}`);
    await bFinance.attribution.submitSignature.mutate({
      dealId,
      version: 4,
      protected: own.protected!,
      signature: own.signature,
    });
    const sealed = await aFinance.attribution.sign.mutate({ dealId, version: 4 });
    expect(sealed.sealed?.version).toBe(4);
    const file = path.join(out, 'own.json');
    expect(
      runCli(
        [
          'export',
          '--company',
          'globex',
          '--from',
          '2026-08-01',
          '--to',
          '2026-08-31',
          '--out',
          file,
        ],
        env,
      ).status,
    ).toBe(0);
    const verified = await runCliAsync(['verify', file, '--jwks', jwksUrls()], env);
    expect(verified.stdout).toContain('OK: 1 records, 2 signatures verified');
  });
});
