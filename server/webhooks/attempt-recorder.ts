import type { Deps } from '../deps.ts';
import type { Executor } from '../store/db.ts';
import type { AttemptOutcome } from './delivery-attempt.ts';
import { endpointById, markFailing, recordAttempts } from './outbox.repository.ts';

/** Outcomes per commit while a round is sending; `drain` commits the rest at its end. */
const groupSize = 64;

/**
 * Commits the outcomes of one endpoint's attempts in groups of `groupSize`: one write (one fence,
 * one fsync, which on SQLite blocks the event loop) for many deliveries instead of one each.
 * Committing as soon as anything is waiting gave groups of one: nothing finishes while the
 * commit blocks. Each commit also reads the endpoint back, so a pause, a deletion or a give-up
 * stops the round within one group.
 */
export class AttemptRecorder {
  #waiting: AttemptOutcome[] = [];
  #flushing: Promise<void> | undefined;
  #halted = false;
  #failed: unknown;

  constructor(
    private readonly deps: Deps<'writes'>,
    private readonly endpointId: string,
    private readonly fence: ((trx: Executor) => Promise<void>) | undefined,
  ) {}

  /** Set once the endpoint is no longer active or a commit failed: send no more. */
  get halted(): boolean {
    return this.#halted;
  }

  add(outcome: AttemptOutcome): void {
    this.#waiting.push(outcome);
    if (this.#waiting.length >= groupSize) this.#startFlush();
  }

  /**
   * Resolves once every outcome added so far is committed; rejects with the error if a commit
   * failed (a lost lease), so the worker waits for its next poll rather than sending again.
   */
  async drain(): Promise<void> {
    this.#startFlush();
    while (this.#flushing) await this.#flushing;
    if (this.#failed) throw this.#failed;
  }

  #startFlush(): void {
    this.#flushing ??= this.#flush().finally(() => (this.#flushing = undefined));
  }

  async #flush(): Promise<void> {
    while (this.#waiting.length > 0 && !this.#halted) {
      const batch = this.#waiting;
      this.#waiting = [];
      try {
        const active = await this.deps.writes.run(async (trx) => {
          await this.fence?.(trx);
          await recordAttempts(
            trx,
            batch.map((o) => o.record),
          );
          const gaveUp = batch.find((o) => o.giveUp);
          if (gaveUp?.giveUp)
            await markFailing(trx, {
              endpointId: this.endpointId,
              reason: gaveUp.giveUp,
              at: gaveUp.record.at,
            });
          return (await endpointById(trx, this.endpointId))?.status === 'active';
        });
        if (!active) this.#halted = true;
      } catch (error) {
        // Not recorded, so these go out again: at least once, never lost.
        this.#failed = error;
        this.#halted = true;
      }
    }
  }
}
