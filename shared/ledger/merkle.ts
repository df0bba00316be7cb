/**
 * # Merkle trees as RFC 9162 (Certificate Transparency v2) defines them
 *
 * leaf hash = SHA-256(0x00 ‖ entry), node hash = SHA-256(0x01 ‖ left ‖ right), and a tree of n
 * leaves splits at k, the largest power of two below n. Pure, so the server (which makes proofs),
 * the CLI and the browser (which check them) share one definition.
 *
 * Proofs are made from a `SubtreeHash`: MTH of a range [start, end) of leaves. Every range the
 * RFC's recursion asks for is either a perfect subtree aligned to its size (stored by the server)
 * or a right edge that splits into such subtrees, so a store of perfect subtrees answers them all
 * (`perfectRanges`).
 */
import { sha256 } from '@noble/hashes/sha2';

export type Hash = Uint8Array;
export type SubtreeHash = (start: number, end: number) => Hash;

const encoder = new TextEncoder();

export function leafHash(entry: Uint8Array | string): Hash {
  const bytes = typeof entry === 'string' ? encoder.encode(entry) : entry;
  const input = new Uint8Array(bytes.length + 1);
  input[0] = 0x00;
  input.set(bytes, 1);
  return sha256(input);
}

export function nodeHash(left: Hash, right: Hash): Hash {
  const input = new Uint8Array(65);
  input[0] = 0x01;
  input.set(left, 1);
  input.set(right, 33);
  return sha256(input);
}

export const emptyRoot: Hash = sha256(new Uint8Array(0));

/** The largest power of two smaller than n (n ≥ 2). */
export function splitPoint(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

/** MTH(D[start:end]) from perfect subtrees, the RFC's split applied to a range that starts aligned. */
export function rangeHash(perfect: SubtreeHash, start: number, end: number): Hash {
  const n = end - start;
  if (n === 0) return emptyRoot;
  if ((n & (n - 1)) === 0) return perfect(start, end);
  const k = splitPoint(n);
  return nodeHash(perfect(start, start + k), rangeHash(perfect, start + k, end));
}

/**
 * The perfect subtrees `rangeHash(start, end)` reads: the binary digits of the range's length,
 * largest first. A server fetches these and nothing else.
 */
export function perfectRanges(start: number, end: number): [number, number][] {
  const out: [number, number][] = [];
  let at = start;
  while (at < end) {
    let size = 1;
    while (size * 2 <= end - at) size *= 2;
    out.push([at, at + size]);
    at += size;
  }
  return out;
}

/** The inclusion proof of leaf `index` in the tree of the first `size` leaves (RFC 9162 §2.1.3.1). */
export function inclusionProof(subtree: SubtreeHash, index: number, size: number): Hash[] {
  if (index < 0 || index >= size) throw new RangeError(`leaf ${index} is not in a tree of ${size}`);
  const path: Hash[] = [];
  let start = 0;
  let end = size;
  // Walks down from the root; the siblings come out root-first, and the proof lists them leaf-first.
  while (end - start > 1) {
    const k = splitPoint(end - start);
    if (index < start + k) {
      path.push(subtree(start + k, end));
      end = start + k;
    } else {
      path.push(subtree(start, start + k));
      start += k;
    }
  }
  return path.reverse();
}

/** The consistency proof between the trees of `from` and `to` leaves (RFC 9162 §2.1.4.1). */
export function consistencyProof(subtree: SubtreeHash, from: number, to: number): Hash[] {
  if (from < 0 || from > to) throw new RangeError(`no consistency proof from ${from} to ${to}`);
  if (from === 0 || from === to) return [];
  const path: Hash[] = [];
  let start = 0;
  let end = to;
  let m = from;
  let whole = true;
  while (m !== end - start) {
    const n = end - start;
    const k = splitPoint(n);
    if (m <= k) {
      path.push(subtree(start + k, end));
      end = start + k;
    } else {
      path.push(subtree(start, start + k));
      start += k;
      m -= k;
      whole = false;
    }
  }
  if (!whole) path.push(subtree(start, end));
  return path.reverse();
}

function equal(a: Hash, b: Hash): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a[i]! ^ b[i]!;
  return diff === 0;
}

/** RFC 9162 §2.1.3.2: does `proof` take `leaf` at `index` to `root` in a tree of `size`? */
export function verifyInclusion(
  leaf: Hash,
  index: number,
  size: number,
  proof: Hash[],
  root: Hash,
): boolean {
  if (!Number.isSafeInteger(index) || !Number.isSafeInteger(size) || index < 0 || index >= size)
    return false;
  let fn = index;
  let sn = size - 1;
  let r = leaf;
  for (const p of proof) {
    if (sn === 0) return false;
    if (fn % 2 === 1 || fn === sn) {
      r = nodeHash(p, r);
      if (fn % 2 === 0) {
        while (fn % 2 === 0 && fn !== 0) {
          fn = Math.floor(fn / 2);
          sn = Math.floor(sn / 2);
        }
      }
    } else {
      r = nodeHash(r, p);
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  return sn === 0 && equal(r, root);
}

/** RFC 9162 §2.1.4.2: does `proof` show the tree of `from` leaves is a prefix of the tree of `to`? */
export function verifyConsistency(
  from: number,
  to: number,
  fromRoot: Hash,
  toRoot: Hash,
  proof: Hash[],
): boolean {
  if (!Number.isSafeInteger(from) || !Number.isSafeInteger(to) || from < 0 || from > to)
    return false;
  if (from === to) return proof.length === 0 && equal(fromRoot, toRoot);
  if (from === 0) return proof.length === 0;
  if (proof.length === 0) return false;
  let path = proof;
  // When `from` is a power of two, its root is the proof's implicit first element.
  if ((from & (from - 1)) === 0) path = [fromRoot, ...proof];
  let fn = from - 1;
  let sn = to - 1;
  while (fn % 2 === 1) {
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  let fr = path[0]!;
  let sr = path[0]!;
  for (const c of path.slice(1)) {
    if (sn === 0) return false;
    if (fn % 2 === 1 || fn === sn) {
      fr = nodeHash(c, fr);
      sr = nodeHash(c, sr);
      if (fn % 2 === 0) {
        while (fn % 2 === 0 && fn !== 0) {
          fn = Math.floor(fn / 2);
          sn = Math.floor(sn / 2);
        }
      }
    } else {
      sr = nodeHash(sr, c);
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  return sn === 0 && equal(fr, fromRoot) && equal(sr, toRoot);
}

/** MTH of a whole list of leaf hashes, for tests and small trees (O(n)). */
export function rootOf(leaves: Hash[]): Hash {
  if (leaves.length === 0) return emptyRoot;
  const perfect: SubtreeHash = (start, end) =>
    end - start === 1
      ? leaves[start]!
      : nodeHash(
          perfect(start, start + (end - start) / 2),
          perfect(start + (end - start) / 2, end),
        );
  return rangeHash(perfect, 0, leaves.length);
}
