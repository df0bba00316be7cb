import type { JSONWebKeySet } from 'jose';
import { verifyExport, type ExportFile } from '../../../sdk/verify/export-verifier.ts';

/**
 * The finance export checked in the browser by the very rules of `tandem verify`
 * (client/sdk/verify/export-verifier.ts), with each company's public keys fetched from this server.
 */
export interface BrowserVerifyReport {
  ok: boolean;
  records: number;
  signatures: number;
  problem?: string;
}

/** Keys by issuer (`<publicUrl>/companies/<id>`), fetched once per company from this server. */
function keyLoader() {
  const cache = new Map<string, Promise<JSONWebKeySet | undefined>>();
  return (issuer: string) => {
    let keys = cache.get(issuer);
    if (!keys) {
      const companyId = /\/companies\/([A-Za-z0-9_-]+)$/.exec(issuer)?.[1];
      keys = companyId
        ? fetch(`/companies/${encodeURIComponent(companyId)}/.well-known/jwks.json`).then((r) =>
            r.ok ? (r.json() as Promise<JSONWebKeySet>) : undefined,
          )
        : Promise.resolve(undefined);
      cache.set(issuer, keys);
    }
    return keys;
  };
}

export async function verifyInBrowser(
  jsonText: string,
  csv: ArrayBuffer | undefined,
  onProgress: (done: number, total: number) => void,
): Promise<BrowserVerifyReport> {
  let file: ExportFile;
  try {
    file = JSON.parse(jsonText) as ExportFile;
  } catch {
    return { ok: false, records: 0, signatures: 0, problem: 'the export is not JSON' };
  }
  const report = await verifyExport(file, keyLoader(), {
    ...(csv ? { csv: new Uint8Array(csv) } : {}),
    onProgress,
  });
  const { ok, records, signatures, firstBad } = report;
  if (!firstBad) return { ok, records, signatures };
  const where = firstBad.record >= 0 ? `record ${firstBad.record + 1}: ` : '';
  return { ok, records, signatures, problem: `${where}${firstBad.reason}` };
}
