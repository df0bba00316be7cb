import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  consistencyProof,
  inclusionProof,
  leafHash,
  nodeHash,
  perfectRanges,
  rangeHash,
  rootOf,
  verifyConsistency,
  verifyInclusion,
  type Hash,
  type SubtreeHash,
} from './merkle.ts';

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');
const unhex = (s: string) => new Uint8Array(Buffer.from(s, 'hex'));

// RFC 9162 §2.1, written straight from its definitions over a list of leaf hashes: the reference
// the optimised code is held to.
function refSplit(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}
function refMth(d: Hash[]): Hash {
  if (d.length === 0)
    return unhex('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
  if (d.length === 1) return d[0]!;
  const k = refSplit(d.length);
  return nodeHash(refMth(d.slice(0, k)), refMth(d.slice(k)));
}
function refPath(m: number, d: Hash[]): Hash[] {
  if (d.length === 1) return [];
  const k = refSplit(d.length);
  return m < k
    ? [...refPath(m, d.slice(0, k)), refMth(d.slice(k))]
    : [...refPath(m - k, d.slice(k)), refMth(d.slice(0, k))];
}
function refSubproof(m: number, d: Hash[], b: boolean): Hash[] {
  if (m === d.length) return b ? [] : [refMth(d)];
  const k = refSplit(d.length);
  return m <= k
    ? [...refSubproof(m, d.slice(0, k), b), refMth(d.slice(k))]
    : [...refSubproof(m - k, d.slice(k), false), refMth(d.slice(0, k))];
}

/** Subtree hashes the way the server answers them: perfect subtrees, combined. */
function storeOf(leaves: Hash[]): SubtreeHash {
  const perfect: SubtreeHash = (start, end) => refMth(leaves.slice(start, end));
  return (start, end) => rangeHash(perfect, start, end);
}

// RFC 6962's test data (the Certificate Transparency reference leaves and roots).
const ctLeaves = [
  '',
  '00',
  '10',
  '2021',
  '3031',
  '40414243',
  '5051525354555657',
  '606162636465666768696a6b6c6d6e6f',
].map((h) => leafHash(unhex(h)));
const ctRoots = [
  '6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d',
  'fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125',
  'aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77',
  'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
  '4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4',
  '76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef',
  'ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c',
  '5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328',
];

const leavesArb = fc
  .array(fc.uint8Array({ maxLength: 12 }), { minLength: 1, maxLength: 70 })
  // The index goes into each entry so no two leaves are equal.
  .map((entries) => entries.map((e, i) => leafHash(Uint8Array.of(i, ...e))));

describe('Merkle trees (RFC 9162)', () => {
  it('gives the published roots of the Certificate Transparency test leaves at every size', () => {
    expect(hex(rootOf([]))).toBe(
      'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
    );
    for (let n = 1; n <= 8; n++) expect(hex(rootOf(ctLeaves.slice(0, n)))).toBe(ctRoots[n - 1]);
  });

  it('gives the published inclusion and consistency proofs', () => {
    const store = storeOf(ctLeaves);
    expect(inclusionProof(store, 0, 8).map(hex)).toEqual([
      '96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7',
      '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e',
      '6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4',
    ]);
    expect(inclusionProof(store, 5, 8).map(hex)).toEqual([
      'bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b',
      'ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0',
      'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
    ]);
    expect(consistencyProof(store, 2, 8).map(hex)).toEqual([
      '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e',
      '6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4',
    ]);
    expect(consistencyProof(store, 6, 8).map(hex)).toEqual([
      '0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a',
      'ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0',
      'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
    ]);
    expect(consistencyProof(store, 2, 5).map(hex)).toEqual([
      '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e',
      'bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b',
    ]);
  });

  it('makes the reference algorithm’s proofs, from perfect subtrees alone, at every size', () => {
    fc.assert(
      fc.property(leavesArb, (leaves) => {
        const store = storeOf(leaves);
        const n = leaves.length;
        expect(hex(rangeHash(store, 0, n))).toBe(hex(refMth(leaves)));
        for (let m = 0; m < n; m++)
          expect(inclusionProof(store, m, n).map(hex)).toEqual(refPath(m, leaves).map(hex));
        for (let m = 1; m <= n; m++)
          expect(consistencyProof(store, m, n).map(hex)).toEqual(
            refSubproof(m, leaves, true).map(hex),
          );
      }),
      { numRuns: 60 },
    );
  });

  it('verifies every leaf’s inclusion proof at every tree size that holds it', () => {
    fc.assert(
      fc.property(leavesArb, (leaves) => {
        const store = storeOf(leaves);
        for (let size = 1; size <= leaves.length; size++) {
          const root = refMth(leaves.slice(0, size));
          for (let m = 0; m < size; m++)
            expect(verifyInclusion(leaves[m]!, m, size, inclusionProof(store, m, size), root)).toBe(
              true,
            );
        }
      }),
      { numRuns: 25 },
    );
  });

  it('verifies consistency between any two sizes', () => {
    fc.assert(
      fc.property(leavesArb, (leaves) => {
        const store = storeOf(leaves);
        for (let to = 1; to <= leaves.length; to++)
          for (let from = 1; from <= to; from++) {
            const proof = consistencyProof(store, from, to);
            const ok = verifyConsistency(
              from,
              to,
              refMth(leaves.slice(0, from)),
              refMth(leaves.slice(0, to)),
              proof,
            );
            expect(ok).toBe(true);
          }
      }),
      { numRuns: 15 },
    );
  });

  it('refuses an inclusion proof when any byte of the leaf, the proof or the root changes, or the index', () => {
    fc.assert(
      fc.property(
        leavesArb.filter((l) => l.length >= 2),
        fc.nat(),
        fc.nat(),
        fc.nat(),
        (leaves, pick, byte, bit) => {
          const size = leaves.length;
          const m = pick % size;
          const proof = inclusionProof(storeOf(leaves), m, size);
          const root = refMth(leaves);
          const flip = (h: Hash) => {
            const copy = h.slice();
            copy[byte % 32]! ^= 1 << (bit % 8);
            return copy;
          };
          expect(verifyInclusion(flip(leaves[m]!), m, size, proof, root)).toBe(false);
          expect(verifyInclusion(leaves[m]!, m, size, proof, flip(root))).toBe(false);
          const at = byte % proof.length;
          const bent = proof.map((h, i) => (i === at ? flip(h) : h));
          expect(verifyInclusion(leaves[m]!, m, size, bent, root)).toBe(false);
          expect(verifyInclusion(leaves[m]!, (m + 1) % size, size, proof, root)).toBe(false);
          // (The size alone is not bound by a proof: the checkpoint signs the root with its size.)
          expect(verifyInclusion(leaves[m]!, m, size, [...proof, proof[0]!], root)).toBe(false);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('refuses a consistency proof when any byte of a root or the proof changes', () => {
    fc.assert(
      fc.property(
        leavesArb.filter((l) => l.length >= 3),
        fc.nat(),
        fc.nat(),
        fc.nat(),
        (leaves, pick, byte, bit) => {
          const to = leaves.length;
          const from = 1 + (pick % (to - 1));
          const proof = consistencyProof(storeOf(leaves), from, to);
          const a = refMth(leaves.slice(0, from));
          const b = refMth(leaves);
          const flip = (h: Hash) => {
            const copy = h.slice();
            copy[byte % 32]! ^= 1 << (bit % 8);
            return copy;
          };
          expect(verifyConsistency(from, to, flip(a), b, proof)).toBe(false);
          expect(verifyConsistency(from, to, a, flip(b), proof)).toBe(false);
          const at = byte % proof.length;
          expect(
            verifyConsistency(
              from,
              to,
              a,
              b,
              proof.map((h, i) => (i === at ? flip(h) : h)),
            ),
          ).toBe(false);
          expect(verifyConsistency(from, to, a, b, proof.slice(1))).toBe(false);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('names the perfect subtrees a range is made of, aligned to their sizes', () => {
    expect(perfectRanges(0, 13)).toEqual([
      [0, 8],
      [8, 12],
      [12, 13],
    ]);
    expect(perfectRanges(8, 14)).toEqual([
      [8, 12],
      [12, 14],
    ]);
  });
});
