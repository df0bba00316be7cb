import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  checkpointBody,
  cosign,
  encodeVkey,
  noteAlg,
  parseCheckpoint,
  parseNote,
  parseVkey,
  signAsLog,
  verifierOf,
  verifyNoteSignature,
} from './signed-note.ts';

// golang.org/x/mod/sumdb/note's published example: a note signed by "PeterNeumann".
const peterVkey = 'PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW';
const peterText =
  "If you think cryptography is the answer to your problem,\nthen you don't know what your problem is.\n";
const peterNote = `${peterText}\n— PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n`;

// A checkpoint of a public CT log as its witnesses cosigned it (cosignature/v1), from the C2SP
// ecosystem's test data: the log's Ed25519 line and one witness's line.
const realCheckpoint = `arche2025h1.staging.ct.transparency.dev
1432088532
U7WM79jrzyhGZ5/GUBTpM7NzwdyfFx61t3RovgcC4Ro=

— arche2025h1.staging.ct.transparency.dev ui8GwCF1+kWqZrxGdhj4aX3gcw7XUlXQQabg/27lefwhUkzbC3NygNI75MdhL1bfTW9g8Ei59RA23oHP7Ry1k3ZFWwQ=
— remora.n621.de 2net5wAAAABqEiEgPlfF3V06o0Y+fHM+J5J9s27wgxxcOVSpZ/2g/KSiXCg9DEZI+aVCIobWX9sXTynk5XeU/zZ0WBxtqB0DrAWfBw==
`;
const archeVkey =
  'arche2025h1.staging.ct.transparency.dev+ba2f06c0+AU0vHmlGCS/PdN8b2OaGmKprLI8HKM+dJ472xgFYh15f';
const remoraVkey = 'remora.n621.de+da77ade7+BOvN63jn/bLvkieywe8R6UYAtVtNbZpXh34x7onlmtw2';

async function keyPair() {
  const pair = (await crypto.subtle.generateKey({ name: 'Ed25519' }, true, [
    'sign',
    'verify',
  ])) as CryptoKeyPair;
  const raw = new Uint8Array(await crypto.subtle.exportKey('raw', pair.publicKey));
  return { privateKey: pair.privateKey, raw };
}

describe('signed notes and cosignatures (C2SP)', () => {
  it('verifies the Go note package’s published example and refuses it changed', async () => {
    const v = parseVkey(peterVkey);
    expect(encodeVkey(v)).toBe(peterVkey);
    expect(await verifyNoteSignature(parseNote(peterNote), v)).toEqual({});
    const changed = peterNote.replace('cryptography', 'cryptographY');
    expect(await verifyNoteSignature(parseNote(changed), v)).toBe(false);
  });

  it('verifies a real cosigned checkpoint: the log’s signature and a witness’s timestamped cosignature', async () => {
    const note = parseNote(realCheckpoint);
    expect(parseCheckpoint(note.body).size).toBe(1432088532);
    expect(await verifyNoteSignature(note, parseVkey(archeVkey))).toEqual({});
    const cosigned = await verifyNoteSignature(note, parseVkey(remoraVkey));
    expect(cosigned && cosigned.timestamp).toBeGreaterThan(1_700_000_000);
    const otherRoot = parseNote(realCheckpoint.replace('U7WM', 'U7WN'));
    expect(await verifyNoteSignature(otherRoot, parseVkey(remoraVkey))).toBe(false);
  });

  it('signs and cosigns checkpoints that verify, and no byte of them can change unnoticed', async () => {
    const log = await keyPair();
    const witness = await keyPair();
    const logV = verifierOf('tandem.example/log', noteAlg.ed25519, log.raw);
    const witnessV = verifierOf('acme.example/witness', noteAlg.cosignatureV1, witness.raw);
    const body = checkpointBody({
      origin: 'tandem.example/partnerships/co_a/co_b',
      size: 42,
      rootHash: new Uint8Array(32).fill(7),
    });
    const note =
      body +
      '\n' +
      (await signAsLog(logV, log.privateKey, body)) +
      (await cosign(witnessV, witness.privateKey, body, 1_765_000_000));
    expect(await verifyNoteSignature(parseNote(note), logV)).toEqual({});
    expect(await verifyNoteSignature(parseNote(note), witnessV)).toEqual({
      timestamp: 1_765_000_000,
    });
    await fc.assert(
      fc.asyncProperty(fc.nat(note.length - 2), fc.integer({ min: 1, max: 127 }), async (at, d) => {
        const bent =
          note.slice(0, at) + String.fromCharCode(note.charCodeAt(at) ^ d) + note.slice(at + 1);
        let parsed;
        try {
          parsed = parseNote(bent);
        } catch {
          return; // no longer a note at all: refused
        }
        const both =
          (await verifyNoteSignature(parsed, logV)) &&
          (await verifyNoteSignature(parsed, witnessV));
        expect(both).toBe(false);
      }),
      { numRuns: 150 },
    );
  });

  it('refuses malformed vkeys and checkpoints, saying what is wrong', () => {
    expect(() =>
      parseVkey('PeterNeumann+c74f20a4+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW'),
    ).toThrow(/key ID/);
    expect(() => parseVkey('nobody')).toThrow(/<name>\+<key ID>\+<key>/);
    expect(() => parseCheckpoint('origin\n12x\nAAAA\n')).toThrow(/size/);
    expect(() => parseCheckpoint('origin\n12\nAAAA\n')).toThrow(/32 bytes/);
  });
});
