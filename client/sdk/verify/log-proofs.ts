import type { Inclusion } from '../../../shared/ledger/log-entry.ts';
import type { JSONWebKeySet } from 'jose';
import { companiesOfOrigin } from '../../../shared/ledger/log-origin.ts';
import { leafHash, verifyInclusion } from '../../../shared/ledger/merkle.ts';
import {
  fromBase64,
  parseCheckpoint,
  parseNote,
  parseVkey,
  verifyNoteSignature,
  type Verifier,
} from '../../../shared/ledger/signed-note.ts';

interface SignedRecord {
  payload: string;
  signatures: { protected: string; signature: string }[];
}

/** The witness keys a company publishes in its JWK Set (`use: "tandem-witness"`, with the vkey). */
function witnessKeys(jwks: JSONWebKeySet | undefined): Verifier[] {
  return (jwks?.keys ?? []).flatMap((k) => {
    const { use, vkey } = k as { use?: string; vkey?: string };
    if (use !== 'tandem-witness' || !vkey) return [];
    try {
      return [parseVkey(vkey)];
    } catch {
      return [];
    }
  });
}

/**
 * Checks records against the partnership logs: each checkpoint signed by the log key the verifier
 * trusts and cosigned by BOTH companies' witnesses (keys from their JWK Sets), and each record's
 * sealing included in the log of the exporter and every other party. Checkpoints are checked once.
 */
export class LogProofs {
  readonly #checked = new Map<string, { size: number; root: Uint8Array } | { error: string }>();

  constructor(
    private readonly checkpoints: Record<string, string>,
    private readonly logKey: Verifier,
    private readonly jwksOf: (companyId: string) => Promise<JSONWebKeySet | undefined>,
  ) {}

  async #checkpoint(origin: string) {
    const known = this.#checked.get(origin);
    if (known) return known;
    const result = await this.#verifyCheckpoint(origin);
    this.#checked.set(origin, result);
    return result;
  }

  async #verifyCheckpoint(origin: string) {
    const text = this.checkpoints[origin];
    if (!text) return { error: `the export carries no checkpoint of ${origin}` };
    let note, body;
    try {
      note = parseNote(text);
      body = parseCheckpoint(note.body);
    } catch (error) {
      return { error: `the checkpoint of ${origin} is malformed: ${(error as Error).message}` };
    }
    if (body.origin !== origin)
      return { error: `the checkpoint filed under ${origin} is of another log` };
    if (!(await verifyNoteSignature(note, this.logKey)))
      return { error: `the checkpoint of ${origin} is not signed by the log key` };
    for (const company of companiesOfOrigin(origin) ?? []) {
      const keys = witnessKeys(await this.jwksOf(company));
      let cosigned = false;
      for (const key of keys) if (await verifyNoteSignature(note, key)) cosigned = true;
      if (!cosigned)
        return {
          error: `checkpoint ${body.size} of ${origin} is not cosigned by the witness of ${company}`,
        };
    }
    return { size: body.size, root: body.rootHash };
  }

  /** Undefined when the record's inclusions hold; otherwise what does not. */
  async check(
    record: SignedRecord & { inclusion?: Inclusion[] },
    input: { dealId: string; exporterId: string; parties: string[] },
  ): Promise<string | undefined> {
    for (const party of input.parties) {
      if (party === input.exporterId) continue;
      const inclusion = (record.inclusion ?? []).find((i) => {
        const pair = companiesOfOrigin(i.origin);
        return pair?.includes(party) && pair.includes(input.exporterId);
      });
      if (!inclusion)
        return `no inclusion proof in the log shared with ${party}: the record is not yet covered by a checkpoint both companies cosigned (run the witnesses, then export again)`;
      const cp = await this.#checkpoint(inclusion.origin);
      if ('error' in cp) return cp.error;
      if (inclusion.treeSize !== cp.size)
        return `the inclusion proof is for a tree of ${inclusion.treeSize}, the cosigned checkpoint has ${cp.size}`;
      let entry: { type?: string; dealId?: string; data?: { record?: SignedRecord } };
      try {
        entry = JSON.parse(inclusion.entry) as typeof entry;
      } catch {
        return 'the log entry is not JSON';
      }
      const sealed = entry.data?.record;
      if (
        entry.type !== 'attribution.sealed' ||
        entry.dealId !== input.dealId ||
        sealed?.payload !== record.payload ||
        JSON.stringify(sealed.signatures) !== JSON.stringify(record.signatures)
      )
        return 'the log entry is not the sealing of this record';
      let path: Uint8Array[];
      try {
        path = inclusion.path.map(fromBase64);
      } catch {
        return 'the inclusion proof is not base64';
      }
      if (!verifyInclusion(leafHash(inclusion.entry), inclusion.leafIndex, cp.size, path, cp.root))
        return `the record's sealing is not in the log ${inclusion.origin}: its inclusion proof does not lead to the cosigned checkpoint`;
    }
    return undefined;
  }
}
