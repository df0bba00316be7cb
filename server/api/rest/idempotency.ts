import { createHash } from 'node:crypto';
import type { Transaction } from 'kysely';
import type { Database } from '../../../schema/database.ts';
import { canonicalJson } from '../../../shared/ledger/canonical-json.ts';
import type { Executor } from '../../store/db.ts';
import { DomainError } from '../../core/domain-error.ts';
import { isUniqueViolation } from '../../store/store-errors.ts';

/** A key is honoured for at least this long; older rows are ignored and swept. */
export const keyLifetimeMs = 24 * 60 * 60 * 1000;
const sweepEveryMs = 10 * 60 * 1000;

/** An answer as it went out, kept so a retry gets the same bytes. */
export interface StoredReply {
  status: number;
  text: string;
}

export interface IdempotentRequest {
  companyId: string;
  principalId: string;
  key: string;
  requestHash: string;
}

/** Another process stored the same key first; the caller re-reads it and replays. */
export class KeyTakenMeanwhile extends Error {
  override name = 'KeyTakenMeanwhile';
}

/** The `Idempotency-Key` header: undefined when absent; 1–255 printable ASCII characters. */
export function idempotencyKeyOf(header: string | string[] | undefined): string | undefined {
  if (header === undefined) return undefined;
  if (typeof header !== 'string' || !/^[\x20-\x7e]{1,255}$/.test(header)) {
    throw new DomainError(
      'ValidationFailed',
      'Idempotency-Key must be 1 to 255 printable characters',
      [{ path: 'Idempotency-Key', message: '1 to 255 printable ASCII characters' }],
    );
  }
  return header;
}

/** What makes two requests "the same": method, path and the canonical (RFC 8785) body. */
export function requestHash(method: string, path: string, body: unknown): string {
  let canonical: string;
  try {
    canonical = canonicalJson(body);
  } catch {
    throw new DomainError('ValidationFailed', 'the body cannot be read as canonical JSON', [
      { path: '(root)', message: 'not representable as canonical JSON' },
    ]);
  }
  return createHash('sha256').update(`${method} ${path}\n${canonical}`).digest('base64url');
}

/**
 * Idempotency keys, scoped to the principal that sent them (a member or API client of a company):
 * another principal's request with the same key is a request of its own. A key is claimed for as
 * long as its request runs (a second request with it meanwhile gets 409; see IdempotencyClaims,
 * shared by every instance on PostgreSQL), and its answer is stored in the same transaction as
 * the write it answers, so a crash can never leave a write without its key (and a retry writing
 * twice).
 */
export class IdempotencyKeys {
  #lastSweep = 0;

  constructor(private readonly now: () => Date) {}

  /**
   * The stored answer to an earlier request with this key, if any within its lifetime. Raises
   * IdempotencyKeyReused when that request was a different one.
   */
  async find(db: Executor, request: IdempotentRequest): Promise<StoredReply | undefined> {
    const row = await db
      .selectFrom('idempotency_keys')
      .select(['request_hash', 'response_status', 'response_body'])
      .where('company_id', '=', request.companyId)
      .where('principal_id', '=', request.principalId)
      .where('key', '=', request.key)
      .where('created_at', '>=', this.#cutoff())
      .executeTakeFirst();
    if (!row) return undefined;
    if (row.request_hash !== request.requestHash) {
      throw new DomainError(
        'IdempotencyKeyReused',
        'this Idempotency-Key was used for a different request; use a new key for a new request',
      );
    }
    return { status: row.response_status, text: row.response_body };
  }

  /** Stores the answer inside the write's transaction. Raises KeyTakenMeanwhile. */
  async store(
    trx: Transaction<Database>,
    request: IdempotentRequest,
    reply: StoredReply,
  ): Promise<void> {
    const now = this.now();
    const cutoff = this.#cutoff();
    if (now.getTime() - this.#lastSweep > sweepEveryMs) {
      this.#lastSweep = now.getTime();
      await trx.deleteFrom('idempotency_keys').where('created_at', '<', cutoff).execute();
    } else {
      await trx
        .deleteFrom('idempotency_keys')
        .where('company_id', '=', request.companyId)
        .where('principal_id', '=', request.principalId)
        .where('key', '=', request.key)
        .where('created_at', '<', cutoff)
        .execute();
    }
    try {
      await trx
        .insertInto('idempotency_keys')
        .values({
          company_id: request.companyId,
          principal_id: request.principalId,
          key: request.key,
          request_hash: request.requestHash,
          response_status: reply.status,
          response_body: reply.text,
          created_at: now.toISOString(),
        })
        .execute();
    } catch (error) {
      if (isUniqueViolation(error)) throw new KeyTakenMeanwhile();
      throw error;
    }
  }

  #cutoff(): string {
    return new Date(this.now().getTime() - keyLifetimeMs).toISOString();
  }
}
