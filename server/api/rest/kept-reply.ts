import type { Transaction } from 'kysely';
import type { Database } from '../../../schema/database.ts';
import type { Outcome } from '../trpc/same-commit.ts';
import {
  KeyTakenMeanwhile,
  type IdempotencyKeys,
  type IdempotentRequest,
  type StoredReply,
} from './idempotency.ts';
import type { Reply } from './rest-io.ts';

/**
 * The `keep` a keyed REST write hands its procedure (see SameCommit): stores the answer under the
 * key in the commit that holds the write, and remembers what it stored, so the request is
 * answered with exactly the bytes a retry will get.
 */
export class KeptReply {
  /** The answer kept with the write. */
  answered: Reply | undefined;
  /** A refusal kept instead: a client error is an answer too, so a retry gets it again. */
  refused: StoredReply | undefined;
  /** Another process stored the key first; the caller re-reads it and replays. */
  taken = false;

  constructor(
    private readonly keys: IdempotencyKeys,
    private readonly request: IdempotentRequest,
    private readonly replyTo: (outcome: Outcome) => Reply,
  ) {}

  readonly keep = async (trx: Transaction<Database>, outcome: Outcome): Promise<void> => {
    const reply = this.replyTo(outcome);
    // A server error is not kept, nor a 429 (waiting is what the retry was told to do), nor a 401:
    // the key belongs to the principal, and its retry with a fresh token must run the write.
    if (!outcome.ok && (reply.status >= 500 || reply.status === 429 || reply.status === 401))
      return;
    try {
      await this.keys.store(trx, this.request, reply);
    } catch (error) {
      if (error instanceof KeyTakenMeanwhile) this.taken = true;
      throw error;
    }
    if (outcome.ok) this.answered = reply;
    else this.refused = reply;
  };
}
