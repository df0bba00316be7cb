import { createCipheriv, createDecipheriv, createHash } from 'node:crypto';
import { DomainError } from '../core/domain-error.ts';

/**
 * What a company sees of a position in the one ledger: an opaque cursor of its own. The ledger's
 * sequence numbers are global, so handing them out would let any company count every other
 * company's writes between two of its own events. A cursor is the position and a tag of the
 * company, encrypted as one AES block under a key derived from the master key: stable (an event
 * keeps its id for dedupe), ordered only on the server, and meaningless to any other company.
 */
export class LedgerPositions {
  constructor(private readonly key: Buffer) {}

  /** The cursor naming `seq` for `companyId`: 22 URL-safe characters. */
  cursorOf(companyId: string, seq: number): string {
    const block = Buffer.alloc(16);
    block.writeBigUInt64BE(BigInt(seq), 0);
    tagOf(companyId).copy(block, 8);
    const cipher = createCipheriv('aes-256-ecb', this.key, null).setAutoPadding(false);
    return Buffer.concat([cipher.update(block), cipher.final()]).toString('base64url');
  }

  /** The id of the event at `seq` as `companyId` receives it (feed, webhooks, history). */
  eventIdOf(companyId: string, seq: number): string {
    return `evt_${this.cursorOf(companyId, seq)}`;
  }

  /**
   * The position a cursor of `companyId`'s names. Raises ValidationFailed at `path` for anything
   * else: a number, a cursor of another company's, a mangled one.
   */
  seqOf(companyId: string, cursor: string, path: string): number {
    const bytes = Buffer.from(cursor, 'base64url');
    if (bytes.length === 16 && bytes.toString('base64url') === cursor) {
      const decipher = createDecipheriv('aes-256-ecb', this.key, null).setAutoPadding(false);
      const block = Buffer.concat([decipher.update(bytes), decipher.final()]);
      if (block.subarray(8).equals(tagOf(companyId))) return Number(block.readBigUInt64BE(0));
    }
    throw new DomainError('ValidationFailed', `${path}: not a cursor Tandem gave you`, [
      { path, message: 'pass a cursor from an earlier answer, or leave it out to start over' },
    ]);
  }
}

function tagOf(companyId: string): Buffer {
  return createHash('sha256').update(companyId).digest().subarray(0, 8);
}
