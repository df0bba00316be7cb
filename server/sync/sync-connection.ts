import type { WebSocket } from 'ws';
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import * as awarenessProtocol from 'y-protocols/awareness';
import type { CloseReason } from '../../shared/sync/close-codes.ts';
import type { Admission } from './hooks.ts';
import type { Room, RoomMember } from './room.ts';

/** A token bucket: `rate` per second, up to `burst` at once. */
export class Bucket {
  #tokens: number;
  #at = Date.now();
  constructor(
    private readonly rate: number,
    private readonly burst: number,
  ) {
    this.#tokens = burst;
  }
  take(): boolean {
    const now = Date.now();
    this.#tokens = Math.min(this.burst, this.#tokens + ((now - this.#at) / 1000) * this.rate);
    this.#at = now;
    if (this.#tokens < 1) return false;
    this.#tokens -= 1;
    return true;
  }
}

/**
 * One socket in one deal room: who it is, whether it may write, and a queue so that its frames
 * are handled one at a time, in order, even though checking an update waits on the database.
 */
export class SyncConnection<C> implements RoomMember {
  readonly awarenessIds = new Set<number>();
  readonly companyId: string;
  readonly subjectId: string;
  #queue: Promise<void> = Promise.resolve();
  #closed = false;
  #ending = false;
  #toldReadOnly = false;
  alive = true;
  expiryTimer: NodeJS.Timeout | undefined;

  /** What the hooks said of it at admission, handed back to them with its every update. */
  readonly context: C;
  readonly readOnly: boolean;
  readonly expiresAtMs: number;

  constructor(
    readonly ws: WebSocket,
    admitted: Admission<C>,
    /** Kept to check it again when something that bears on tokens changes. */
    readonly token: string,
    readonly room: Room,
    readonly updates: Bucket,
  ) {
    this.context = admitted.context;
    this.readOnly = admitted.readOnly;
    this.expiresAtMs = admitted.expiresAtMs;
    this.companyId = admitted.companyId;
    this.subjectId = admitted.subjectId;
  }

  get closed(): boolean {
    return this.#closed;
  }

  send(frame: Uint8Array): void {
    if (!this.#closed && this.ws.readyState === this.ws.OPEN) this.ws.send(frame);
  }

  /**
   * Runs `task` after every frame before it. A task that throws hands its error to `onError`
   * and the queue carries on: a rejection left unhandled would end the whole server process.
   */
  enqueue(task: () => Promise<void>, onError: (error: unknown) => void): void {
    this.#queue = this.#queue.then(() => (this.#closed ? undefined : task())).catch(onError);
  }

  /** Whether it takes no more frames: closed, or closing once those queued are handled. */
  get ending(): boolean {
    return this.#ending || this.#closed;
  }

  /** Closes once every frame queued before is handled: they were sent before the one that ends it. */
  closeAfterQueued(reason: CloseReason): void {
    this.#ending = true;
    this.#queue = this.#queue.then(() => this.close(reason));
  }

  close(reason: CloseReason, detail?: string): void {
    if (this.#closed) return;
    this.#closed = true;
    clearTimeout(this.expiryTimer);
    this.room.leave(this);
    this.ws.close(
      reason.code,
      detail ? `${reason.reason}: ${detail}`.slice(0, 120) : reason.reason,
    );
  }

  /** Marks the connection gone after the socket closed on its own. */
  gone(): void {
    this.#closed = true;
    clearTimeout(this.expiryTimer);
    this.room.leave(this);
  }

  /** Whether to say "read-only" now (once per connection). */
  tellReadOnly(): boolean {
    if (this.#toldReadOnly) return false;
    this.#toldReadOnly = true;
    return true;
  }

  /**
   * Applies a presence update, leaving out the entries for client ids another connection of the
   * room announced: the stock client echoes everyone's presence back (harmless, their clocks are
   * not newer), but no one may move or remove another person's cursor. Raises on a bad frame.
   */
  applyAwareness(update: Uint8Array): void {
    const decoder = decoding.createDecoder(update);
    const entries: { clientId: number; clock: number; state: string }[] = [];
    const count = decoding.readVarUint(decoder);
    for (let n = 0; n < count; n++) {
      entries.push({
        clientId: decoding.readVarUint(decoder),
        clock: decoding.readVarUint(decoder),
        state: decoding.readVarString(decoder),
      });
    }
    const own = entries.filter(
      (e) => ![...this.room.members].some((m) => m !== this && m.awarenessIds.has(e.clientId)),
    );
    if (own.length === 0) return;
    const encoder = encoding.createEncoder();
    encoding.writeVarUint(encoder, own.length);
    for (const e of own) {
      encoding.writeVarUint(encoder, e.clientId);
      encoding.writeVarUint(encoder, e.clock);
      encoding.writeVarString(encoder, e.state);
    }
    awarenessProtocol.applyAwarenessUpdate(
      this.room.awareness,
      encoding.toUint8Array(encoder),
      this,
    );
  }
}
