/**
 * # Ledger hashing rules
 *
 * Every event is stored with two back-links and its own hash:
 *
 * - `prevHash` is the hash of the event with the previous global `seq` (the genesis hash, 64 zeros,
 *   for the first event). It chains the whole log.
 * - `dealPrevHash` is the hash of the previous event of the same deal (genesis for a deal's first
 *   event; null for events that belong to no deal). It lets one deal's history be checked alone.
 * - `hash` = lower-case hex SHA-256 of the RFC 8785 canonical JSON of
 *   `{ seq, dealId, dealSeq, type, actor: { companyId, kind, id }, privateTo, at, data, prevHash, dealPrevHash }`
 *   where `data` is the change as a JSON value (not its string) and absent values are `null`.
 *   The one exception is the actor's `via` and `tool` (a change an agent made through the MCP
 *   face): they are keys of `actor` only when `via` is set, never `null`, so every event written
 *   before they existed keeps its hash.
 *
 * Editing any stored field changes that event's hash, so its stored `hash` no longer matches; deleting
 * or reordering rows breaks the next event's `prevHash`. Cutting off the tail is caught by signed
 * checkpoints of `(size, head hash)` that participants keep (see checkpoint.service.ts).
 */
import { createHash } from 'node:crypto';
import { canonicalJson } from '../../shared/ledger/canonical-json.ts';

export const genesisHash = '0'.repeat(64);

export interface HashedFields {
  seq: number;
  dealId: string | null;
  dealSeq: number | null;
  type: string;
  actor: { companyId: string; kind: string; id: string; via?: string; tool?: string };
  privateTo: string | null;
  at: string;
  data: unknown;
  prevHash: string;
  dealPrevHash: string | null;
}

/**
 * `dataText`, when given, must be `canonicalJson(fields.data)`: the writer stores that text anyway,
 * so it is encoded once. The result is the same canonical JSON either way (an object's canonical
 * form is its entries, sorted by key, each value in canonical form).
 */
export function eventHash(fields: HashedFields, dataText?: string): string {
  return createHash('sha256').update(eventText(fields, dataText)).digest('hex');
}

function eventText(fields: HashedFields, dataText: string | undefined): string {
  if (dataText === undefined) return canonicalJson(fields);
  // The small fields are encoded once, with `data` null, and its text is put in that slot. Keys are
  // sorted, so the slot sits between `at` and `dealId`; a quote inside a string is escaped, so
  // `,"data":null,` can only be that slot.
  const text = canonicalJson({ ...fields, data: null });
  const slot = text.indexOf(',"data":null,');
  if (slot < 0) return canonicalJson(fields);
  return `${text.slice(0, slot)},"data":${dataText}${text.slice(slot + ',"data":null'.length)}`;
}
