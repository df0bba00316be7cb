import { randomBytes } from 'node:crypto';

let lastMs = 0;

/**
 * Prefixed, URL-safe, unguessable ids: the prefix says what an id names (`co_`, `mem_`, `cli_`…).
 * The first nine characters are the creation time in base 36 (ASCII order is time order), so new
 * rows land at the end of SQLite's B-trees instead of on random pages: a commit writes far fewer
 * pages. The 96 random bits that follow keep ids unguessable.
 */
export function newId(prefix: string): string {
  lastMs = Math.max(Date.now(), lastMs);
  return `${prefix}_${lastMs.toString(36).padStart(9, '0')}${randomBytes(12).toString('base64url')}`;
}
