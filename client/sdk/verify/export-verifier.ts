import { createLocalJWKSet, flattenedVerify, type JSONWebKeySet } from 'jose';
import { parseVkey } from '../../../shared/ledger/signed-note.ts';
import type { Inclusion } from '../../../shared/ledger/log-entry.ts';
import { LogProofs } from './log-proofs.ts';
import {
  isCanonical,
  statementSchema,
  type AttributionStatement,
} from '../../../shared/attribution/statement.ts';

export interface JwksByIssuer {
  /** issuer URL (`<publicUrl>/companies/<id>`) → that company's public keys */
  [issuer: string]: JSONWebKeySet;
}

interface GeneralJws {
  payload: string;
  signatures: { protected: string; signature: string }[];
}

export interface ExportFile {
  format: string;
  company: { id: string; iss: string };
  period: { from: string; to: string; label: string };
  /** Format 2: the log's key as the export names it, and each partnership log's joint checkpoint. */
  transparency?: { logKey: string; checkpoints: Record<string, string> };
  records: (GeneralJws & { inclusion?: Inclusion[] })[];
  manifest: GeneralJws;
}

export interface VerifyReport {
  ok: boolean;
  records: number;
  signatures: number;
  /** Records whose sealing was proven in the partnership logs (format 2). */
  inclusions?: number;
  /** The first thing that does not hold, by record index (-1 for the manifest or the file). */
  firstBad?: { record: number; dealId?: string; reason: string };
  totals?: Record<string, string>;
}

/** Where a signer's public keys come from: a map of JWK Sets (the CLI) or a fetch (the browser). */
export type KeySource = (issuer: string) => Promise<JSONWebKeySet | undefined>;

/**
 * An incremental SHA-256 (hex). The CLI passes node:crypto's; the default, for the browser, whose
 * WebCrypto has no incremental digest, gathers what it is given and digests it at the end.
 */
export interface Sha256 {
  update(data: string | Uint8Array): void;
  hex(): Promise<string>;
}

export function webSha256(): Sha256 {
  const parts: Uint8Array[] = [];
  const utf8 = new TextEncoder();
  return {
    update: (data) => parts.push(typeof data === 'string' ? utf8.encode(data) : data),
    async hex() {
      const all = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
      let at = 0;
      for (const p of parts) {
        all.set(p, at);
        at += p.length;
      }
      const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', all));
      return [...digest].map((b) => b.toString(16).padStart(2, '0')).join('');
    },
  };
}

export interface VerifyOptions {
  /** The CSV to check against the manifest. */
  csv?: Uint8Array;
  sha256?: () => Sha256;
  /**
   * The transparency log's key (a vkey) the verifier trusts, got from the operator, not from the
   * export. With it, every record of a format 2 export must be proven in the partnership logs.
   */
  logKey?: string;
  /** Called now and then with the records checked so far. */
  onProgress?: (done: number, total: number) => void;
}

const utf8 = new TextDecoder();
/** base64url to text, in Node and in the browser alike. */
function decode(b64url: string): string {
  const b64 = b64url.replace(/-/g, '+').replace(/_/g, '/');
  const binary = atob(b64 + '='.repeat((4 - (b64.length % 4)) % 4));
  return utf8.decode(Uint8Array.from(binary, (c) => c.charCodeAt(0)));
}

function companyOf(issuer: string): string | undefined {
  return /\/companies\/(co_[A-Za-z0-9_-]+)$/.exec(issuer)?.[1];
}

/**
 * Checks ONE signature of a General JWS against the keys of the company its header names.
 * (jose's generalVerify stops at the first signature that verifies, which proves nothing about the
 * others; each is checked on its own here.)
 */
async function checkSignature(
  jws: GeneralJws,
  sig: GeneralJws['signatures'][number],
  keysOf: KeySource,
): Promise<{ companyId: string } | { error: string }> {
  let header: { alg?: string; kid?: string; iss?: string };
  try {
    header = JSON.parse(decode(sig.protected)) as typeof header;
  } catch {
    return { error: 'a protected header is not base64url JSON' };
  }
  const companyId = header.iss ? companyOf(header.iss) : undefined;
  if (!header.iss || !companyId)
    return { error: 'a signature names no company (iss) in its protected header' };
  const keys = await keysOf(header.iss);
  if (!keys) return { error: `no JWK Set given for ${header.iss}` };
  if (!header.kid || !keys.keys.some((k) => k.kid === header.kid))
    return { error: `key ${header.kid ?? '(none)'} is not in the JWK Set of ${header.iss}` };
  try {
    await flattenedVerify(
      { payload: jws.payload, protected: sig.protected, signature: sig.signature },
      createLocalJWKSet(keys),
      { algorithms: ['EdDSA', 'ES256'] },
    );
  } catch {
    return { error: `the signature of ${companyId} does not verify` };
  }
  return { companyId };
}

function splitTotalsHold(s: AttributionStatement): boolean {
  return (
    s.splits.reduce((sum, p) => sum + BigInt(p.amountMinor), 0n) === BigInt(s.amountMinor) &&
    s.splits.reduce((sum, p) => sum + p.bps, 0) === 10_000
  );
}

/**
 * Verifies a finance export offline: every record's payload is canonical and each required signer
 * (every company in its splits) signed it exactly once with a key from its own JWK Set, with no
 * unknown signer; then the manifest's signature, count, totals and hashes (of the records and,
 * when given, of the CSV). Stops at the first thing that does not hold and names it.
 */
export async function verifyExport(
  file: ExportFile,
  keys: JwksByIssuer | KeySource,
  options: VerifyOptions = {},
): Promise<VerifyReport> {
  const { csv, sha256 = webSha256, onProgress } = options;
  let inclusions = 0;
  const keysOf: KeySource =
    typeof keys === 'function' ? keys : (issuer) => Promise.resolve(keys[issuer]);
  let signatures = 0;
  const recordsHash = sha256();
  const byCurrency = new Map<string, bigint>();
  const fail = (record: number, reason: string, dealId?: string): VerifyReport => ({
    ok: false,
    records: file.records?.length ?? 0,
    signatures,
    firstBad: { record, reason, ...(dealId ? { dealId } : {}) },
  });
  const v2 = file.format === 'tandem.attribution-export/2';
  if (
    (file.format !== 'tandem.attribution-export/1' && !v2) ||
    !Array.isArray(file.records) ||
    !file.manifest
  )
    return fail(-1, 'not a Tandem attribution export');
  // Without the log's key, the signatures and the manifest are checked, not the logs.
  let logProofs: LogProofs | undefined;
  if (v2 && options.logKey) {
    if (!file.transparency?.checkpoints) return fail(-1, 'the export carries no checkpoints');
    let logKey;
    try {
      logKey = parseVkey(options.logKey);
    } catch (error) {
      return fail(-1, `the log key: ${(error as Error).message}`);
    }
    const issuerOf = (companyId: string) =>
      file.company.iss.replace(/\/companies\/[^/]+$/, `/companies/${companyId}`);
    logProofs = new LogProofs(file.transparency.checkpoints, logKey, (companyId) =>
      keysOf(issuerOf(companyId)),
    );
  }

  for (const [index, record] of file.records.entries()) {
    let text: string;
    try {
      text = decode(record.payload);
    } catch {
      return fail(index, 'the payload is not base64url');
    }
    if (!isCanonical(text)) return fail(index, 'the payload is not in canonical (RFC 8785) form');
    const parsed = statementSchema.safeParse(JSON.parse(text));
    if (!parsed.success) return fail(index, 'the payload is not an attribution statement');
    const statement = parsed.data;
    if (!splitTotalsHold(statement))
      return fail(index, 'the splits do not add up to the amount and 10,000 bps', statement.dealId);
    const required = new Set(statement.splits.map((s) => s.companyId));
    const seen = new Set<string>();
    for (const sig of record.signatures ?? []) {
      const checked = await checkSignature(record, sig, keysOf);
      if ('error' in checked) return fail(index, checked.error, statement.dealId);
      if (!required.has(checked.companyId))
        return fail(index, `${checked.companyId} signed but is not a party`, statement.dealId);
      if (seen.has(checked.companyId))
        return fail(index, `${checked.companyId} signed twice`, statement.dealId);
      seen.add(checked.companyId);
      signatures++;
    }
    const missing = [...required].filter((c) => !seen.has(c));
    if (missing.length > 0)
      return fail(index, `missing the signature of ${missing.join(', ')}`, statement.dealId);
    if (logProofs) {
      const problem = await logProofs.check(record, {
        dealId: statement.dealId,
        exporterId: file.company.id,
        parties: [...required],
      });
      if (problem) return fail(index, problem, statement.dealId);
      inclusions++;
    }
    recordsHash.update(JSON.stringify(record) + '\n');
    byCurrency.set(
      statement.currency,
      (byCurrency.get(statement.currency) ?? 0n) + BigInt(statement.amountMinor),
    );
    if (index % 50 === 0) onProgress?.(index + 1, file.records.length);
  }

  const manifestSig = file.manifest.signatures?.[0];
  if (!manifestSig || file.manifest.signatures.length !== 1)
    return fail(-1, 'the manifest must carry exactly one signature');
  const checked = await checkSignature(file.manifest, manifestSig, keysOf);
  if ('error' in checked) return fail(-1, `manifest: ${checked.error}`);
  if (checked.companyId !== file.company.id)
    return fail(-1, 'the manifest is not signed by the exporting company');
  const manifest = JSON.parse(decode(file.manifest.payload)) as {
    count: number;
    recordsSha256: string;
    csvSha256: string;
    totals: { byCurrency: Record<string, string> };
  };
  if (manifest.count !== file.records.length)
    return fail(
      -1,
      `the manifest counts ${manifest.count} records, the file has ${file.records.length}`,
    );
  if (manifest.recordsSha256 !== (await recordsHash.hex()))
    return fail(-1, 'the records do not match the manifest hash');
  const totals = Object.fromEntries([...byCurrency].map(([k, v]) => [k, v.toString()]));
  if (
    JSON.stringify(Object.entries(totals).sort()) !==
    JSON.stringify(Object.entries(manifest.totals.byCurrency).sort())
  ) {
    return fail(-1, 'the totals per currency do not match the manifest');
  }
  if (csv) {
    const csvHash = sha256();
    csvHash.update(csv);
    if ((await csvHash.hex()) !== manifest.csvSha256)
      return fail(-1, 'the CSV does not match the manifest hash');
  }
  onProgress?.(file.records.length, file.records.length);
  return {
    ok: true,
    records: file.records.length,
    signatures,
    ...(logProofs ? { inclusions } : {}),
    totals,
  };
}
