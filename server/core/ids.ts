import { randomBytes } from 'node:crypto';

let lastMs = 0;
// One call to the CSPRNG per 256 ids: a call costs more than the bytes it returns.
let pool = Buffer.alloc(0);
let offset = 0;

function random12(): string {
  if (offset + 12 > pool.length) {
    pool = randomBytes(12 * 256);
    offset = 0;
  }
  offset += 12;
  return pool.toString('base64url', offset - 12, offset);
}

/**
 * Prefixed, URL-safe, unguessable ids: the prefix says what an id names (`co_`, `mem_`, `cli_`…).
 * The first nine characters are the creation time in base 36 (ASCII order is time order), so new
 * rows land at the end of SQLite's B-trees instead of on random pages: a commit writes far fewer
 * pages. The 96 random bits that follow keep ids unguessable. An id so tells when its row was
 * made (as a ULID or UUIDv7 does): nothing secret, since deals, tokens and keys show it anyway.
 */
export function newId(prefix: string): string {
  lastMs = Math.max(Date.now(), lastMs);
  return `${prefix}_${lastMs.toString(36).padStart(9, '0')}${random12()}`;
}
