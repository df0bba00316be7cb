// The update log of the deals' documents: appended by writes, merged by compaction.
import * as Y from 'yjs';
import type { Executor } from '../store/db.ts';

/**
 * The clientID the server writes with. Server edits of one deal never run concurrently (the write
 * queue orders them and each starts from the latest state), so one id is safe and keeps state
 * vectors short; clients may not use it.
 */
export const serverClientId = 1;

/**
 * A document built from `updates` that then writes as the server. The id is set after loading:
 * Yjs changes a document's id when a remote update brings changes under it.
 */
export function serverDoc(updates: readonly Uint8Array[] = []): Y.Doc {
  const doc = new Y.Doc();
  doc.transact(() => {
    for (const update of updates) Y.applyUpdate(doc, update);
  });
  doc.clientID = serverClientId;
  return doc;
}

/** The stored updates of a deal's document, oldest first (none for a deal that has no document). */
export async function loadUpdates(db: Executor, dealId: string): Promise<Uint8Array[]> {
  const rows = await db
    .selectFrom('deal_doc_updates')
    .select('update')
    .where('deal_id', '=', dealId)
    .orderBy('id')
    .execute();
  return rows.map((r) => r.update);
}

/**
 * The stored updates of a deal's document after row `afterId`, oldest first, with their row ids.
 * Rows of one deal are numbered in commit order: every write that stores them holds the store's
 * one write lock (PostgreSQL) or is the only writer (SQLite).
 */
export async function loadUpdatesAfter(
  db: Executor,
  dealId: string,
  afterId: number,
): Promise<{ id: number; update: Uint8Array }[]> {
  return db
    .selectFrom('deal_doc_updates')
    .select(['id', 'update'])
    .where('deal_id', '=', dealId)
    .where('id', '>', afterId)
    .orderBy('id')
    .execute();
}

export async function insertUpdates(
  db: Executor,
  dealId: string,
  updates: readonly Uint8Array[],
  at: string,
): Promise<void> {
  if (updates.length === 0) return;
  await db
    .insertInto('deal_doc_updates')
    .values(updates.map((update) => ({ deal_id: dealId, update, at })))
    .execute();
}

/** Deals whose documents have more than `threshold` stored updates: due for compaction. */
export async function dealsToCompact(
  db: Executor,
  threshold: number,
  limit: number,
): Promise<string[]> {
  const rows = await db
    .selectFrom('deal_doc_updates')
    .select('deal_id')
    .groupBy('deal_id')
    .having((eb) => eb.fn.countAll(), '>', threshold)
    .limit(limit)
    .execute();
  return rows.map((r) => r.deal_id);
}

/** Replaces a deal's stored updates by one that holds the same document. */
export async function compactDoc(db: Executor, dealId: string, at: string): Promise<void> {
  const updates = await loadUpdates(db, dealId);
  if (updates.length < 2) return;
  const doc = new Y.Doc();
  for (const update of updates) Y.applyUpdate(doc, update);
  const merged = Y.encodeStateAsUpdate(doc);
  doc.destroy();
  await db.deleteFrom('deal_doc_updates').where('deal_id', '=', dealId).execute();
  await insertUpdates(db, dealId, [merged], at);
}
