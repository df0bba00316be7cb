import { verifyConsistency } from '../../shared/ledger/merkle.ts';
import {
  cosign,
  encodeVkey,
  fromBase64,
  noteAlg,
  parseCheckpoint,
  parseNote,
  parseVkey,
  verifierOf,
  verifyNoteSignature,
  type Verifier,
} from '../../shared/ledger/signed-note.ts';
import type { TandemClient } from './tandem-client.ts';

/**
 * # A company's witness
 *
 * Runs on the company's side, with a key Tandem never holds. For each partnership log it fetches
 * the latest checkpoint with the consistency proof from the last checkpoint it cosigned (which it
 * keeps itself), checks the log's signature and that proof, and only then cosigns. A log that
 * shrank, a root that changed at the same size, or a proof that does not hold is a fork: the
 * witness refuses, reports an alarm, and keeps its state, so it never cosigns the forked view.
 */

/** The log as a witness talks to it: the API, or a test double that lies. */
export interface WitnessedLog {
  logKey(): Promise<string>;
  logs(): Promise<{ partnershipId: string; origin: string }[]>;
  checkpoint(
    partnershipId: string,
    since: number,
  ): Promise<{ checkpoint: { size: number; note: string } | null; consistency: string[] }>;
  cosign(partnershipId: string, size: number, cosignature: string): Promise<unknown>;
  reportAlarm(partnershipId: string, detail: string): Promise<unknown>;
}

export function apiLog(client: TandemClient): WitnessedLog {
  return {
    logKey: async () => (await client.transparency.logKey.query()).vkey,
    logs: () => client.transparency.logs.query(),
    checkpoint: (partnershipId, since) =>
      client.transparency.checkpoint.mutate({ partnershipId, since }),
    cosign: (partnershipId, size, cosignature) =>
      client.transparency.cosign.mutate({ partnershipId, size, cosignature }),
    reportAlarm: (partnershipId, detail) =>
      client.transparency.reportAlarm.mutate({ partnershipId, detail }),
  };
}

/** What the witness keeps between runs: the pinned log key, and per log the last size and root it cosigned. */
export interface WitnessState {
  logKey?: string;
  logs: Record<string, { size: number; root: string }>;
}

export interface WitnessKey {
  verifier: Verifier;
  privateKey: CryptoKey;
}

export interface WitnessOutcome {
  origin: string;
  outcome: 'cosigned' | 'unchanged' | 'empty' | 'alarm';
  size?: number;
  detail?: string;
}

export async function witnessRound(
  log: WitnessedLog,
  key: WitnessKey,
  state: WitnessState,
  now: () => number = () => Math.floor(Date.now() / 1000),
): Promise<{ state: WitnessState; outcomes: WitnessOutcome[] }> {
  const next: WitnessState = { logKey: state.logKey, logs: { ...state.logs } };
  // Trust on first use unless the operator pinned one: later runs refuse any other key.
  next.logKey ??= await log.logKey();
  const logKey = parseVkey(next.logKey);
  const outcomes: WitnessOutcome[] = [];
  for (const { partnershipId, origin } of await log.logs()) {
    const seen = next.logs[origin];
    const alarm = async (detail: string) => {
      await log.reportAlarm(partnershipId, detail).catch(() => undefined);
      outcomes.push({ origin, outcome: 'alarm', detail });
    };
    const { checkpoint, consistency } = await log.checkpoint(partnershipId, seen?.size ?? 0);
    if (!checkpoint) {
      outcomes.push({ origin, outcome: 'empty' });
      continue;
    }
    let note, body;
    try {
      note = parseNote(checkpoint.note);
      body = parseCheckpoint(note.body);
    } catch (error) {
      await alarm(`the checkpoint is malformed: ${(error as Error).message}`);
      continue;
    }
    if (body.origin !== origin || !(await verifyNoteSignature(note, logKey))) {
      await alarm(`checkpoint ${body.size} is not signed by the pinned log key for ${origin}`);
      continue;
    }
    const root = btoa(String.fromCharCode(...body.rootHash));
    if (seen) {
      if (body.size < seen.size) {
        await alarm(`the log shrank: it had ${seen.size} entries, now shows ${body.size}`);
        continue;
      }
      const consistent =
        body.size === seen.size
          ? root === seen.root
          : verifyConsistency(
              seen.size,
              body.size,
              fromBase64(seen.root),
              body.rootHash,
              consistency.map(fromBase64),
            );
      if (!consistent) {
        await alarm(
          `fork: checkpoint ${body.size} (root ${root}) does not extend checkpoint ${seen.size} (root ${seen.root}) that this witness cosigned`,
        );
        continue;
      }
    }
    const already = note.signatures.some(
      (s) => s.name === key.verifier.name && s.keyId.every((b, i) => b === key.verifier.keyId[i]),
    );
    if (!already) {
      const line = await cosign(key.verifier, key.privateKey, note.body, now());
      await log.cosign(partnershipId, body.size, line);
    }
    next.logs[origin] = { size: body.size, root };
    outcomes.push({
      origin,
      outcome: already || (seen && seen.size === body.size) ? 'unchanged' : 'cosigned',
      size: body.size,
    });
  }
  return { state: next, outcomes };
}

/** A witness key file: the key name, its Ed25519 private JWK and its vkey. */
export interface WitnessKeyFile {
  name: string;
  privateJwk: JsonWebKey;
  vkey: string;
}

export async function newWitnessKey(name: string): Promise<WitnessKeyFile> {
  const pair = (await crypto.subtle.generateKey({ name: 'Ed25519' }, true, [
    'sign',
    'verify',
  ])) as CryptoKeyPair;
  const raw = new Uint8Array(await crypto.subtle.exportKey('raw', pair.publicKey));
  const verifier = verifierOf(name, noteAlg.cosignatureV1, raw);
  return {
    name,
    privateJwk: await crypto.subtle.exportKey('jwk', pair.privateKey),
    vkey: encodeVkey(verifier),
  };
}

export async function loadWitnessKey(file: WitnessKeyFile): Promise<WitnessKey> {
  const verifier = parseVkey(file.vkey);
  const privateKey = await crypto.subtle.importKey(
    'jwk',
    file.privateJwk,
    { name: 'Ed25519' },
    false,
    ['sign'],
  );
  return { verifier, privateKey };
}
