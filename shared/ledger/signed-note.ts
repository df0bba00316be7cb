/**
 * # Checkpoints as C2SP signed notes, and witnesses' cosignatures
 *
 * A checkpoint (c2sp.org/tlog-checkpoint) is a note body of three lines: the log's origin, its
 * size, and the base64 root hash. Signatures follow a blank line, one per line (c2sp.org/signed-note):
 * `— <key name> base64(4-byte key ID ‖ signature)`. The log signs the body with Ed25519 (signature
 * type 0x01); each company's witness cosigns it (c2sp.org/tlog-cosignature, cosignature/v1, type
 * 0x04): Ed25519 over `cosignature/v1\ntime <t>\n` + body, the signature prefixed by `t` as a
 * big-endian u64. Public keys travel as vkeys: `<name>+<hex key ID>+base64(type ‖ key)`.
 *
 * Pure, on WebCrypto's Ed25519, so the CLI, the server and the browser check notes alike.
 */
import { sha256 } from '@noble/hashes/sha2';

export const noteAlg = { ed25519: 0x01, cosignatureV1: 0x04 } as const;
type Alg = (typeof noteAlg)[keyof typeof noteAlg];

export interface Checkpoint {
  origin: string;
  size: number;
  rootHash: Uint8Array;
}

export interface NoteSignature {
  name: string;
  keyId: Uint8Array;
  /** The bytes after the key ID: a bare signature (0x01) or timestamp ‖ signature (0x04). */
  signature: Uint8Array;
}

export interface Verifier {
  name: string;
  alg: Alg;
  keyId: Uint8Array;
  publicKey: Uint8Array;
}

const utf8 = new TextEncoder();
const dash = '\u2014 ';

export function toBase64(bytes: Uint8Array): string {
  let binary = '';
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary);
}

export function fromBase64(text: string): Uint8Array {
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(text) || text.length % 4 !== 0)
    throw new Error('not standard base64');
  const bytes = Uint8Array.from(atob(text), (c) => c.charCodeAt(0));
  // One encoding per value: unused low bits set would let a note change and still verify.
  if (toBase64(bytes) !== text) throw new Error('not canonical base64');
  return bytes;
}

function hex(bytes: Uint8Array): string {
  return [...bytes].map((b) => b.toString(16).padStart(2, '0')).join('');
}

/** SHA-256(name ‖ "\n" ‖ type ‖ public key)[:4], as both specifications define it. */
export function keyIdOf(name: string, alg: Alg, publicKey: Uint8Array): Uint8Array {
  const nameBytes = utf8.encode(name + '\n');
  const input = new Uint8Array(nameBytes.length + 1 + publicKey.length);
  input.set(nameBytes);
  input[nameBytes.length] = alg;
  input.set(publicKey, nameBytes.length + 1);
  return sha256(input).slice(0, 4);
}

/** A key name: no spaces, no plus signs, no newlines (the note and vkey grammars need that). */
export function isKeyName(name: string): boolean {
  return name.length > 0 && name.length <= 200 && !/[\s+]/u.test(name);
}

export function verifierOf(name: string, alg: Alg, publicKey: Uint8Array): Verifier {
  if (!isKeyName(name)) throw new Error('a key name has no spaces, plus signs or newlines');
  if (publicKey.length !== 32) throw new Error('an Ed25519 public key is 32 bytes');
  return { name, alg, publicKey, keyId: keyIdOf(name, alg, publicKey) };
}

export function encodeVkey(v: Verifier): string {
  return `${v.name}+${hex(v.keyId)}+${toBase64(Uint8Array.of(v.alg, ...v.publicKey))}`;
}

/** Parses a vkey; throws an Error saying what is wrong with it. */
export function parseVkey(vkey: string): Verifier {
  // The base64 key may itself hold plus signs: only the first two separate.
  const match = /^([^+]+)\+([0-9a-fA-F]{8})\+(.+)$/.exec(vkey.trim());
  if (!match) throw new Error('a vkey is <name>+<key ID>+<key>');
  const [, name, id, key] = match as unknown as [string, string, string, string];
  let bytes: Uint8Array;
  try {
    bytes = fromBase64(key);
  } catch {
    throw new Error('the key part of the vkey is not base64');
  }
  const alg = bytes[0];
  if (alg !== noteAlg.ed25519 && alg !== noteAlg.cosignatureV1)
    throw new Error('the vkey is not an Ed25519 note key (type 0x01) or cosigner key (type 0x04)');
  const verifier = verifierOf(name, alg, bytes.slice(1));
  if (hex(verifier.keyId) !== id.toLowerCase())
    throw new Error('the key ID in the vkey does not match its name and key');
  return verifier;
}

export function checkpointBody(c: Checkpoint): string {
  return `${c.origin}\n${c.size}\n${toBase64(c.rootHash)}\n`;
}

/** Reads a checkpoint body; throws an Error naming what is malformed. */
export function parseCheckpoint(body: string): Checkpoint {
  const lines = body.split('\n');
  if (lines.length < 4 || lines[lines.length - 1] !== '')
    throw new Error('a checkpoint has an origin, a size and a root hash, each on its own line');
  const [origin, size, root] = lines as [string, string, string];
  if (!origin) throw new Error('the checkpoint has no origin');
  if (!/^(0|[1-9][0-9]*)$/.test(size) || !Number.isSafeInteger(Number(size)))
    throw new Error('the checkpoint size is not a decimal number');
  let rootHash: Uint8Array;
  try {
    rootHash = fromBase64(root);
  } catch {
    throw new Error('the checkpoint root hash is not base64');
  }
  if (rootHash.length !== 32) throw new Error('the checkpoint root hash is not 32 bytes');
  return { origin, size: Number(size), rootHash };
}

/** Splits a signed note into its body and signature lines; throws when it is not one. */
export function parseNote(note: string): { body: string; signatures: NoteSignature[] } {
  const cut = note.lastIndexOf('\n\n');
  if (cut < 0 || !note.endsWith('\n')) throw new Error('not a signed note');
  const body = note.slice(0, cut + 1);
  const lines = note.slice(cut + 2, -1).split('\n');
  const signatures = lines.map((line) => {
    if (!line.startsWith(dash)) throw new Error('a signature line starts with an em dash');
    const [name, sig, extra] = line.slice(dash.length).split(' ');
    if (!name || !sig || extra !== undefined)
      throw new Error('a signature line is "— <name> <signature>"');
    let bytes: Uint8Array;
    try {
      bytes = fromBase64(sig);
    } catch {
      throw new Error('a signature is not base64');
    }
    if (bytes.length < 5) throw new Error('a signature is too short');
    return { name, keyId: bytes.slice(0, 4), signature: bytes.slice(4) };
  });
  if (signatures.length === 0) throw new Error('the note has no signatures');
  return { body, signatures };
}

export function signatureLine(v: Pick<Verifier, 'name' | 'keyId'>, signature: Uint8Array): string {
  return `${dash}${v.name} ${toBase64(Uint8Array.of(...v.keyId, ...signature))}\n`;
}

function cosignedMessage(body: string, timestamp: number): Uint8Array {
  return utf8.encode(`cosignature/v1\ntime ${timestamp}\n${body}`);
}

function timestampBytes(timestamp: number): Uint8Array {
  const out = new Uint8Array(8);
  new DataView(out.buffer).setBigUint64(0, BigInt(timestamp));
  return out;
}

/** A copy on a plain ArrayBuffer, the only kind WebCrypto's typings take. */
function own(bytes: Uint8Array): Uint8Array<ArrayBuffer> {
  return new Uint8Array(bytes);
}

async function ed25519Verify(publicKey: Uint8Array, signature: Uint8Array, message: Uint8Array) {
  const key = await crypto.subtle.importKey('raw', own(publicKey), { name: 'Ed25519' }, false, [
    'verify',
  ]);
  return crypto.subtle.verify({ name: 'Ed25519' }, key, own(signature), own(message));
}

/** Signs a body as the log (type 0x01): the signature line to append. */
export async function signAsLog(v: Verifier, privateKey: CryptoKey, body: string): Promise<string> {
  const sig = new Uint8Array(
    await crypto.subtle.sign({ name: 'Ed25519' }, privateKey, own(utf8.encode(body))),
  );
  return signatureLine(v, sig);
}

/** Cosigns a checkpoint body as a witness (cosignature/v1) at `timestamp` (seconds). */
export async function cosign(
  v: Verifier,
  privateKey: CryptoKey,
  body: string,
  timestamp: number,
): Promise<string> {
  const sig = new Uint8Array(
    await crypto.subtle.sign(
      { name: 'Ed25519' },
      privateKey,
      own(cosignedMessage(body, timestamp)),
    ),
  );
  return signatureLine(v, Uint8Array.of(...timestampBytes(timestamp), ...sig));
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

/**
 * Checks the note's signature by `v`, if it has one: for a log key, over the body; for a
 * cosigner, over the cosigned message, answering the cosignature's timestamp. `false` when the
 * note carries no line of that name and key ID, or the line does not verify.
 */
export async function verifyNoteSignature(
  note: { body: string; signatures: NoteSignature[] },
  v: Verifier,
): Promise<false | { timestamp?: number }> {
  const line = note.signatures.find((s) => s.name === v.name && sameBytes(s.keyId, v.keyId));
  if (!line) return false;
  if (v.alg === noteAlg.ed25519) {
    if (line.signature.length !== 64) return false;
    return (await ed25519Verify(v.publicKey, line.signature, utf8.encode(note.body))) ? {} : false;
  }
  if (line.signature.length !== 72) return false;
  const timestamp = Number(
    new DataView(line.signature.buffer, line.signature.byteOffset).getBigUint64(0),
  );
  if (!Number.isSafeInteger(timestamp)) return false;
  const ok = await ed25519Verify(
    v.publicKey,
    line.signature.slice(8),
    cosignedMessage(note.body, timestamp),
  );
  return ok ? { timestamp } : false;
}
