import type { Deps } from '../deps.ts';
import { compactDoc, dealsToCompact } from './doc-store.ts';

/** A document with more stored updates than this is merged into one. */
export const compactAfterUpdates = 100;

/**
 * Merges the stored updates of the busiest documents, a few at a time, each in the write queue so
 * it never interleaves with a write to the same deal. Returns how many documents it compacted.
 */
export async function compactDocs(
  deps: Deps<'db' | 'writes' | 'clock'>,
  options: { threshold?: number; limit?: number } = {},
): Promise<number> {
  const threshold = options.threshold ?? compactAfterUpdates;
  const due = await dealsToCompact(deps.db, threshold, options.limit ?? 20);
  for (const dealId of due) {
    await deps.writes.run((trx) => compactDoc(trx, dealId, deps.clock.now().toISOString()));
  }
  return due.length;
}
