import { createLocalJWKSet, flattenedVerify, type JSONWebKeySet } from 'jose';
import { isCanonical, statementSchema } from '../../../../shared/attribution/statement.ts';

/**
 * The finance export checked in the browser, by the rules of `tandem verify`: each record's
 * payload is canonical, every party signed it once with a key of its own JWK Set (fetched from
 * this server), the manifest is signed by the exporter, and its count, totals and hashes match.
 */
interface Jws {
  payload: string;
  signatures: { protected: string; signature: string }[];
}
interface ExportFile {
  format: string;
  company: { id: string; iss: string };
  records: Jws[];
  manifest: Jws;
}

export interface BrowserVerifyReport {
  ok: boolean;
  records: number;
  signatures: number;
  problem?: string;
}

const text = new TextDecoder();
function decode(b64url: string): string {
  const b64 = b64url.replace(/-/g, '+').replace(/_/g, '/');
  const bin = atob(b64 + '='.repeat((4 - (b64.length % 4)) % 4));
  return text.decode(Uint8Array.from(bin, (c) => c.charCodeAt(0)));
}

async function sha256Hex(data: BufferSource): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', data));
  return [...digest].map((b) => b.toString(16).padStart(2, '0')).join('');
}

/** Keys by issuer, fetched once per company from `/companies/<id>/.well-known/jwks.json`. */
function keyLoader() {
  const cache = new Map<string, Promise<JSONWebKeySet>>();
  return (companyId: string) => {
    let keys = cache.get(companyId);
    if (!keys) {
      keys = fetch(`/companies/${encodeURIComponent(companyId)}/.well-known/jwks.json`).then(
        (r) => {
          if (!r.ok) throw new Error(`the public keys of ${companyId} cannot be fetched`);
          return r.json() as Promise<JSONWebKeySet>;
        },
      );
      cache.set(companyId, keys);
    }
    return keys;
  };
}

async function signer(
  jws: Jws,
  sig: Jws['signatures'][number],
  keysOf: ReturnType<typeof keyLoader>,
): Promise<string> {
  const header = JSON.parse(decode(sig.protected)) as { iss?: string };
  const companyId = /\/companies\/([A-Za-z0-9_-]+)$/.exec(header.iss ?? '')?.[1];
  if (!companyId) throw new Error('a signature names no company');
  await flattenedVerify(
    { payload: jws.payload, protected: sig.protected, signature: sig.signature },
    createLocalJWKSet(await keysOf(companyId)),
    { algorithms: ['EdDSA', 'ES256'] },
  ).catch(() => {
    throw new Error(`the signature of ${companyId} does not verify`);
  });
  return companyId;
}

export async function verifyInBrowser(
  jsonText: string,
  csv: ArrayBuffer | undefined,
  onProgress: (done: number, total: number) => void,
): Promise<BrowserVerifyReport> {
  const file = JSON.parse(jsonText) as ExportFile;
  const keysOf = keyLoader();
  let signatures = 0;
  const records = file.records?.length ?? 0;
  const fail = (problem: string): BrowserVerifyReport => ({
    ok: false,
    records,
    signatures,
    problem,
  });
  if (file.format !== 'tandem.attribution-export/1' || !Array.isArray(file.records))
    return fail('this is not a Tandem attribution export');
  const totals = new Map<string, bigint>();
  let recordLines = '';
  try {
    for (const [i, record] of file.records.entries()) {
      const payload = decode(record.payload);
      if (!isCanonical(payload)) return fail(`record ${i + 1} is not in canonical form`);
      const parsed = statementSchema.safeParse(JSON.parse(payload));
      if (!parsed.success) return fail(`record ${i + 1} is not an attribution statement`);
      const required = new Set(parsed.data.splits.map((s) => s.companyId));
      const seen = new Set<string>();
      for (const sig of record.signatures) {
        const id = await signer(record, sig, keysOf);
        if (!required.has(id) || seen.has(id))
          return fail(`record ${i + 1}: ${id} signed but should not have`);
        seen.add(id);
        signatures++;
      }
      const missing = [...required].filter((c) => !seen.has(c));
      if (missing.length)
        return fail(`record ${i + 1} lacks the signature of ${missing.join(', ')}`);
      recordLines += JSON.stringify(record) + '\n';
      const c = parsed.data.currency;
      totals.set(c, (totals.get(c) ?? 0n) + BigInt(parsed.data.amountMinor));
      if (i % 20 === 0) onProgress(i + 1, records);
    }
    const manifestSig = file.manifest?.signatures?.[0];
    if (!manifestSig || file.manifest.signatures.length !== 1)
      return fail('the manifest is not signed once');
    if ((await signer(file.manifest, manifestSig, keysOf)) !== file.company.id)
      return fail('the manifest is not signed by the exporting company');
  } catch (error) {
    return fail(error instanceof Error ? error.message : String(error));
  }
  const manifest = JSON.parse(decode(file.manifest.payload)) as {
    count: number;
    recordsSha256: string;
    csvSha256: string;
    totals: { byCurrency: Record<string, string> };
  };
  if (manifest.count !== records) return fail('the manifest counts a different number of records');
  if (manifest.recordsSha256 !== (await sha256Hex(new TextEncoder().encode(recordLines))))
    return fail('the records do not match the manifest');
  const mine = Object.fromEntries([...totals].map(([k, v]) => [k, v.toString()]));
  if (
    JSON.stringify(Object.entries(mine).sort()) !==
    JSON.stringify(Object.entries(manifest.totals.byCurrency).sort())
  )
    return fail('the totals do not match the manifest');
  if (csv && manifest.csvSha256 !== (await sha256Hex(csv)))
    return fail('the CSV does not match the manifest');
  onProgress(records, records);
  return { ok: true, records, signatures };
}
