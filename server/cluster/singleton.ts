import type { Logger } from '../core/logger.ts';
import type { Leases } from './leases.ts';

/** What runs while its lease is held: started with the epoch, stopped when the lease is lost. */
export interface SingletonRole {
  start(epoch: number): void;
  stop(): Promise<void>;
}

/**
 * Keeps trying for one lease and runs `role` while it holds it: renewed every third of its life,
 * so a live holder keeps it; a failed renewal (the store unreachable, another holder) stops the
 * role at once, since another instance may take the lease once it lapses.
 */
export class Singleton {
  #epoch: number | null = null;
  #timer: NodeJS.Timeout | undefined;
  #tick: Promise<void> = Promise.resolve();
  #stopped = false;

  constructor(
    private readonly leases: Leases,
    readonly name: string,
    private readonly role: SingletonRole,
    private readonly logger: Logger,
    private readonly ttlMs = 6000,
  ) {}

  /** The epoch while held, else null. */
  get epoch(): number | null {
    return this.#epoch;
  }

  /** Tries at once, then every third of the lease's life. */
  start(): Promise<void> {
    this.#timer = setInterval(() => void this.#next(), Math.max(50, Math.floor(this.ttlMs / 3)));
    this.#timer.unref();
    return this.#next();
  }

  /** Stops the role and gives the lease up (if held). */
  async stop(): Promise<void> {
    this.#stopped = true;
    clearInterval(this.#timer);
    await this.#tick;
    if (this.#epoch === null) return;
    this.#epoch = null;
    await this.role.stop();
    await this.leases.release(this.name).catch(() => {});
  }

  #next(): Promise<void> {
    this.#tick = this.#tick.then(() => this.#renew());
    return this.#tick;
  }

  async #renew(): Promise<void> {
    if (this.#stopped) return;
    let epoch: number | null;
    try {
      epoch = await this.leases.acquire(this.name, this.ttlMs);
    } catch (error) {
      this.logger.warn({ err: error, lease: this.name }, 'could not renew a lease');
      epoch = null;
    }
    if (epoch === this.#epoch) return;
    if (this.#epoch !== null) {
      this.logger.info({ lease: this.name }, 'lease lost: stopping its work here');
      this.#epoch = null;
      await this.role.stop();
    }
    if (epoch !== null && !this.#stopped) {
      this.logger.info({ lease: this.name, epoch }, 'lease taken: running its work here');
      this.#epoch = epoch;
      this.role.start(epoch);
    }
  }
}

/** A role that runs `job` every `everyMs` while held (a job's failure is logged, not fatal). */
export function periodic(
  everyMs: number,
  job: () => Promise<unknown>,
  logger: Logger,
  what: string,
): SingletonRole {
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<unknown> = Promise.resolve();
  const run = () => {
    running = running
      .then(job)
      .catch((error: unknown) => logger.error({ err: error }, `${what} failed`));
  };
  return {
    start() {
      timer = setInterval(run, everyMs);
      timer.unref();
    },
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}
