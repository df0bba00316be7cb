import { createHash } from 'node:crypto';
import { createLocalJWKSet, flattenedVerify, type JSONWebKeySet } from 'jose';
import {
  isCanonical,
  statementSchema,
  type AttributionStatement,
} from '../../shared/attribution/statement.ts';

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
  records: GeneralJws[];
  manifest: GeneralJws;
}

export interface VerifyReport {
  ok: boolean;
  records: number;
  signatures: number;
  /** The first thing that does not hold, by record index (-1 for the manifest or the file). */
  firstBad?: { record: number; dealId?: string; reason: string };
  totals?: Record<string, string>;
}

const decode = (b64: string) => Buffer.from(b64, 'base64url').toString('utf8');

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
  jwks: JwksByIssuer,
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
  const keys = jwks[header.iss];
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
  jwks: JwksByIssuer,
  csv?: Buffer,
): Promise<VerifyReport> {
  let signatures = 0;
  const recordsHash = createHash('sha256');
  const byCurrency = new Map<string, bigint>();
  const fail = (record: number, reason: string, dealId?: string): VerifyReport => ({
    ok: false,
    records: file.records?.length ?? 0,
    signatures,
    firstBad: { record, reason, ...(dealId ? { dealId } : {}) },
  });
  if (
    file.format !== 'tandem.attribution-export/1' ||
    !Array.isArray(file.records) ||
    !file.manifest
  )
    return fail(-1, 'not a Tandem attribution export');

  for (const [index, record] of file.records.entries()) {
    const text = decode(record.payload);
    if (!isCanonical(text)) return fail(index, 'the payload is not in canonical (RFC 8785) form');
    const parsed = statementSchema.safeParse(JSON.parse(text));
    if (!parsed.success) return fail(index, 'the payload is not an attribution statement');
    const statement = parsed.data;
    if (!splitTotalsHold(statement))
      return fail(index, 'the splits do not add up to the amount and 10,000 bps', statement.dealId);
    const required = new Set(statement.splits.map((s) => s.companyId));
    const seen = new Set<string>();
    for (const sig of record.signatures ?? []) {
      const checked = await checkSignature(record, sig, jwks);
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
    recordsHash.update(JSON.stringify(record) + '\n');
    byCurrency.set(
      statement.currency,
      (byCurrency.get(statement.currency) ?? 0n) + BigInt(statement.amountMinor),
    );
  }

  const manifestSig = file.manifest.signatures?.[0];
  if (!manifestSig || file.manifest.signatures.length !== 1)
    return fail(-1, 'the manifest must carry exactly one signature');
  const checked = await checkSignature(file.manifest, manifestSig, jwks);
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
  if (manifest.recordsSha256 !== recordsHash.digest('hex'))
    return fail(-1, 'the records do not match the manifest hash');
  const totals = Object.fromEntries([...byCurrency].map(([k, v]) => [k, v.toString()]));
  if (
    JSON.stringify(Object.entries(totals).sort()) !==
    JSON.stringify(Object.entries(manifest.totals.byCurrency).sort())
  ) {
    return fail(-1, 'the totals per currency do not match the manifest');
  }
  if (csv && createHash('sha256').update(csv).digest('hex') !== manifest.csvSha256)
    return fail(-1, 'the CSV does not match the manifest hash');
  return { ok: true, records: file.records.length, signatures, totals };
}
