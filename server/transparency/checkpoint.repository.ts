import { sql } from 'kysely';
import type { Executor } from '../store/db.ts';

export interface StoredCheckpoint {
  logId: string;
  size: number;
  rootHash: string;
  /** Body, blank line, the log's signature, then each company's cosignature line. */
  note: string;
  createdAt: string;
  /** companyId → when its witness cosigned (ISO time of the cosignature's timestamp). */
  cosigned: Record<string, string>;
}

async function withCosignatures(
  db: Executor,
  rows: { log_id: string; size: number; root_hash: string; note: string; created_at: string }[],
): Promise<StoredCheckpoint[]> {
  if (rows.length === 0) return [];
  const cosigs = await db
    .selectFrom('transparency_cosignatures')
    .select(['log_id', 'size', 'company_id', 'line', 'cosigned_at'])
    .where((eb) =>
      eb.or(rows.map((r) => eb.and([eb('log_id', '=', r.log_id), eb('size', '=', r.size)]))),
    )
    .orderBy('company_id')
    .execute();
  return rows.map((r) => {
    const mine = cosigs.filter((c) => c.log_id === r.log_id && c.size === r.size);
    return {
      logId: r.log_id,
      size: r.size,
      rootHash: r.root_hash,
      note: r.note + mine.map((c) => c.line).join(''),
      createdAt: r.created_at,
      cosigned: Object.fromEntries(mine.map((c) => [c.company_id, c.cosigned_at])),
    };
  });
}

export async function latestCheckpoint(
  db: Executor,
  logId: string,
): Promise<StoredCheckpoint | undefined> {
  const rows = await db
    .selectFrom('transparency_checkpoints')
    .selectAll()
    .where('log_id', '=', logId)
    .orderBy('size', 'desc')
    .limit(1)
    .execute();
  return (await withCosignatures(db, rows))[0];
}

export async function checkpointAt(
  db: Executor,
  logId: string,
  size: number,
): Promise<StoredCheckpoint | undefined> {
  const rows = await db
    .selectFrom('transparency_checkpoints')
    .selectAll()
    .where('log_id', '=', logId)
    .where('size', '=', size)
    .execute();
  return (await withCosignatures(db, rows))[0];
}

/**
 * The joint checkpoint (cosigned by both companies' witnesses) of a log: the latest, or the first
 * that covers leaf `covering`.
 */
export async function jointCheckpoint(
  db: Executor,
  logId: string,
  options: { covering?: number } = {},
): Promise<StoredCheckpoint | undefined> {
  let query = db
    .selectFrom('transparency_checkpoints as c')
    .selectAll('c')
    .where('c.log_id', '=', logId)
    .where(
      sql<number>`(select count(*) from transparency_cosignatures s where s.log_id = c.log_id and s.size = c.size)`,
      '>=',
      2,
    );
  query =
    options.covering === undefined
      ? query.orderBy('c.size', 'desc')
      : query.where('c.size', '>', options.covering).orderBy('c.size', 'asc');
  const rows = await query.limit(1).execute();
  return (await withCosignatures(db, rows))[0];
}
