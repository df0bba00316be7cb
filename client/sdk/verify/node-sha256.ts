import { createHash } from 'node:crypto';
import type { Sha256 } from './export-verifier.ts';

/** node:crypto's incremental SHA-256, so a million-record export is hashed without gathering it. */
export function nodeSha256(): Sha256 {
  const hash = createHash('sha256');
  return {
    update: (data) => hash.update(data),
    hex: () => Promise.resolve(hash.digest('hex')),
  };
}
