import { sql } from 'kysely';
import { perfectRanges, type Hash } from '../../shared/ledger/merkle.ts';
import type { Executor } from '../store/db.ts';

/** A perfect subtree's coordinates: (level, idx) covers leaves [idx·2^level, (idx+1)·2^level). */
export interface NodeKey {
  level: number;
  idx: number;
}

export function nodeKeyOf(start: number, end: number): NodeKey {
  const size = end - start;
  return { level: Math.log2(size), idx: start / size };
}

const key = (n: NodeKey) => `${n.level}:${n.idx}`;
const toBytes = (hex: string): Hash => new Uint8Array(Buffer.from(hex, 'hex'));

/** How many leaves each log has, for the logs named (absent: none yet). */
export async function logSizes(db: Executor, logIds: string[]): Promise<Map<string, number>> {
  if (logIds.length === 0) return new Map();
  const rows = await db
    .selectFrom('transparency_leaves')
    .select(['log_id', sql<number>`max(idx)`.as('last')])
    .where('log_id', 'in', logIds)
    .groupBy('log_id')
    .execute();
  return new Map(rows.map((r) => [r.log_id, Number(r.last) + 1]));
}

export async function logSize(db: Executor, logId: string): Promise<number> {
  return (await logSizes(db, [logId])).get(logId) ?? 0;
}

/** Stored perfect-subtree hashes of one log, by the ranges they cover. */
export async function fetchNodes(
  db: Executor,
  logId: string,
  nodes: NodeKey[],
): Promise<Map<string, Hash>> {
  const found = new Map<string, Hash>();
  const unique = [...new Map(nodes.map((n) => [key(n), n])).values()];
  // One query per level, each an IN list on the primary key's last column: both stores answer
  // it with index lookups (a long OR of pairs made SQLite scan the log's nodes).
  const byLevel = new Map<number, number[]>();
  for (const n of unique) byLevel.set(n.level, [...(byLevel.get(n.level) ?? []), n.idx]);
  for (const [level, indices] of byLevel)
    for (let i = 0; i < indices.length; i += 500) {
      const rows = await db
        .selectFrom('transparency_nodes')
        .select(['level', 'idx', 'hash'])
        .where('log_id', '=', logId)
        .where('level', '=', level)
        .where('idx', 'in', indices.slice(i, i + 500))
        .execute();
      for (const r of rows) found.set(key(r), toBytes(r.hash));
    }
  return found;
}

/** Looks a fetched node up by range; a missing one means the tree is not stored that far. */
export function nodeFrom(nodes: Map<string, Hash>, start: number, end: number): Hash {
  const hash = nodes.get(key(nodeKeyOf(start, end)));
  if (!hash) throw new Error(`the transparency log has no node for leaves ${start}..${end}`);
  return hash;
}

/** The perfect subtrees along the right edge of a tree of `size` leaves: what an append builds on. */
export async function rightEdge(db: Executor, logId: string, size: number) {
  const ranges = perfectRanges(0, size);
  const nodes = await fetchNodes(
    db,
    logId,
    ranges.map(([s, e]) => nodeKeyOf(s, e)),
  );
  return ranges.map(([s, e]) => ({ ...nodeKeyOf(s, e), hash: nodeFrom(nodes, s, e) }));
}
