import {
  consistencyProof,
  inclusionProof,
  perfectRanges,
  rangeHash,
  type Hash,
  type SubtreeHash,
} from '../../shared/ledger/merkle.ts';
import type { Executor } from '../store/db.ts';
import { fetchNodes, nodeFrom, nodeKeyOf } from './tree.repository.ts';

/**
 * Runs proof-making code against the stored tree: once with placeholder hashes to learn which
 * ranges it asks for (a proof's shape does not depend on the hashes), then again with those
 * ranges' perfect subtrees fetched in one query.
 */
export async function withTree<T>(
  db: Executor,
  logId: string,
  make: (subtree: SubtreeHash) => T,
): Promise<T> {
  const asked: [number, number][] = [];
  const placeholder = new Uint8Array(32);
  make((start, end) => {
    asked.push([start, end]);
    return placeholder;
  });
  const keys = asked.flatMap(([s, e]) => perfectRanges(s, e).map(([a, b]) => nodeKeyOf(a, b)));
  const nodes = await fetchNodes(db, logId, keys);
  const perfect: SubtreeHash = (start, end) => nodeFrom(nodes, start, end);
  return make((start, end) => rangeHash(perfect, start, end));
}

export function rootAt(db: Executor, logId: string, size: number): Promise<Hash> {
  return withTree(db, logId, (subtree) => subtree(0, size));
}

export function inclusionAt(
  db: Executor,
  logId: string,
  indices: number[],
  size: number,
): Promise<Hash[][]> {
  return withTree(db, logId, (subtree) => indices.map((i) => inclusionProof(subtree, i, size)));
}

export function consistencyBetween(
  db: Executor,
  logId: string,
  from: number,
  to: number,
): Promise<Hash[]> {
  return withTree(db, logId, (subtree) => consistencyProof(subtree, from, to));
}

export const base64 = (h: Hash) => Buffer.from(h).toString('base64');
