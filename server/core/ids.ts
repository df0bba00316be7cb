import { randomBytes } from 'node:crypto';

/** Prefixed, URL-safe, unguessable ids: the prefix says what an id names (`co_`, `mem_`, `cli_`…). */
export function newId(prefix: string): string {
  return `${prefix}_${randomBytes(12).toString('base64url')}`;
}
