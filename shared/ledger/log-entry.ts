import { canonicalJson } from './canonical-json.ts';

/**
 * One leaf of a partnership's transparency log: a ledger event as both companies see it, in
 * RFC 8785 canonical JSON. No global ledger position (`seq`, `prevHash`) is in it: those would tell
 * each company how much the deployment writes for others. A deal's own order (`dealSeq`) is.
 */
export interface LogEntry {
  v: 1;
  dealId: string;
  dealSeq: number;
  type: string;
  actor: { companyId: string; kind: string; id: string; via?: string; tool?: string };
  at: string;
  data: unknown;
}

/** The entry's bytes, as hashed into the leaf. `dataText` is the event's canonical data, as stored. */
export function logEntryText(entry: Omit<LogEntry, 'v' | 'data'>, dataText: string): string {
  // The data is stored canonical already: it is spliced in rather than parsed and encoded again.
  const text = canonicalJson({ ...entry, v: 1, data: null });
  const slot = text.indexOf(',"data":null,');
  return `${text.slice(0, slot)},"data":${dataText}${text.slice(slot + ',"data":null'.length)}`;
}

/** Where a partnership log holds an entry: what an export carries for each record. */
export interface Inclusion {
  origin: string;
  leafIndex: number;
  treeSize: number;
  /** The leaf's entry text, as hashed. */
  entry: string;
  /** Base64 hashes, leaf to root (RFC 9162). */
  path: string[];
}
