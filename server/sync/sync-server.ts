import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';
import type { Deps } from '../deps.ts';
import { closeCodes, type CloseReason } from '../../shared/sync/close-codes.ts';
import {
  awarenessFrame,
  decodeClientMessage,
  deniedFrame,
  step1Frame,
  step2Frame,
  updateFrame,
  type ClientMessage,
} from './codec.ts';
import { SyncRefusal, UpdateDenied, type Admission, type SyncHooks } from './hooks.ts';
import * as awarenessProtocol from 'y-protocols/awareness';
import type { PresenceRelay } from './presence-relay.ts';
import { remotePresence } from './room.ts';
import { RoomRegistry } from './room-registry.ts';
import { Bucket, SyncConnection } from './sync-connection.ts';
import { checkUpdateBytes, isEmptyUpdate } from './update-check.ts';

type SyncDeps = Deps<'db' | 'writes' | 'clock' | 'docs' | 'logger' | 'tokenCache' | 'writeLimit'>;

export interface SyncLimits {
  /** Largest frame accepted; a larger one closes the socket (terminal). */
  maxMessageBytes: number;
  /** Updates and presence frames per second per connection, and the burst allowed. */
  messagesPerSecond: number;
  burst: number;
  connectionsPerRoom: number;
  connectionsPerCompany: number;
  /** How long a room stays in memory after its last person left. */
  idleUnloadMs: number;
  /** How often a socket must answer a ping. */
  pingMs: number;
}

export const defaultSyncLimits: SyncLimits = {
  maxMessageBytes: 1 << 20,
  messagesPerSecond: 30,
  burst: 120,
  connectionsPerRoom: 50,
  connectionsPerCompany: 500,
  idleUnloadMs: 30_000,
  pingMs: 30_000,
};

const roomPath = /^\/sync\/([A-Za-z0-9_-]{1,100})$/;
type Refusal = { refuse: CloseReason };

/**
 * The rooms over WebSocket at `/sync/<documentName>?token=…`, speaking the y-websocket protocol so
 * the stock provider works unchanged. The hooks admit a socket before the upgrade; a refused one
 * is accepted and closed at once with a code that tells the client whether to retry. Every update
 * goes to `onUpdate` (the domain's one write path) and reaches the others only from the commit;
 * presence is relayed, not stored.
 */
export class SyncServer<C = unknown> {
  readonly #wss: WebSocketServer;
  readonly #rooms: RoomRegistry<SyncConnection<C>>;
  readonly #unsubscribe: (() => void)[] = [];
  readonly #pinger: NodeJS.Timeout;

  constructor(
    private readonly deps: SyncDeps,
    private readonly hooks: SyncHooks<C>,
    private readonly limits: SyncLimits = defaultSyncLimits,
    /** Presence to and from other instances' rooms (several instances on one store). */
    presence?: PresenceRelay,
  ) {
    // ws's own ceiling sits above ours, so an oversized frame gets our clear close, not 1009.
    this.#wss = new WebSocketServer({ noServer: true, maxPayload: limits.maxMessageBytes * 2 });
    deps.docs.loadWith(hooks.onLoadDocument);
    this.#rooms = new RoomRegistry(
      limits.idleUnloadMs,
      (dealId) => deps.docs.unload(dealId),
      presence,
    );
    this.#unsubscribe.push(
      deps.docs.onChange(({ dealId, update, origin }) =>
        this.#rooms.get(dealId)?.broadcast(updateFrame(update), origin),
      ),
      deps.docs.onReset((dealId) => this.#closeRoom(dealId, closeCodes.goingAway)),
      deps.docs.onAccessChange((dealId) => void this.#recheck(this.#rooms.in(dealId))),
      deps.tokenCache.onInvalidate(() => void this.#recheck(this.#rooms.all())),
    );
    if (presence) {
      this.#unsubscribe.push(
        presence.onRemote((dealId, update) => {
          const room = this.#rooms.get(dealId);
          if (!room) return;
          try {
            awarenessProtocol.applyAwarenessUpdate(room.awareness, update, remotePresence);
          } catch (error) {
            deps.logger.warn({ err: error, dealId }, 'unreadable presence from another instance');
          }
        }),
        presence.onAsk((dealId) => {
          const update = this.#rooms.get(dealId)?.localPresence();
          if (update) presence.publish(dealId, update);
        }),
      );
    }
    this.#pinger = setInterval(() => this.#ping(), limits.pingMs);
    this.#pinger.unref();
  }

  /** Takes an HTTP upgrade if it is for `/sync`; false leaves it to others. */
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): boolean {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (!url.pathname.startsWith('/sync/')) return false;
    const dealId = roomPath.exec(url.pathname)?.[1];
    const token = url.searchParams.get('token');
    void this.#admit(dealId, token).then(
      (admitted) =>
        this.#wss.handleUpgrade(req, socket, head, (ws) => {
          if ('refuse' in admitted) ws.close(admitted.refuse.code, admitted.refuse.reason);
          else this.#attach(ws, admitted, token!, dealId!);
        }),
      (error: unknown) => {
        this.deps.logger.error({ err: error, path: url.pathname }, 'sync upgrade failed');
        socket.destroy();
      },
    );
    return true;
  }

  /** Who may join the room: whom the hooks admit, within the room's and the company's limits. */
  async #admit(
    documentName: string | undefined,
    token: string | null,
  ): Promise<Refusal | Admission<C>> {
    if (!documentName) return { refuse: closeCodes.notParticipant };
    if (!token) return { refuse: closeCodes.badToken };
    let admitted: Admission<C>;
    try {
      admitted = await this.hooks.onAuthenticate({ documentName, token });
    } catch (error) {
      if (error instanceof SyncRefusal) return { refuse: error.close };
      throw error;
    }
    const { inRoom, ofCompany } = this.#rooms.occupancy(documentName, admitted.companyId);
    if (inRoom >= this.limits.connectionsPerRoom || ofCompany >= this.limits.connectionsPerCompany)
      return { refuse: closeCodes.full };
    return admitted;
  }

  #attach(ws: WebSocket, admitted: Admission<C>, token: string, dealId: string): void {
    const bucket = new Bucket(this.limits.messagesPerSecond, this.limits.burst);
    const conn = this.#rooms.join(
      dealId,
      (room) => new SyncConnection(ws, admitted, token, room, bucket),
    );
    const { room } = conn;
    this.#armExpiry(conn);

    ws.on('message', (data: RawData, isBinary: boolean) => {
      if (conn.ending) return;
      const frame = toBytes(data);
      if (!isBinary || frame.byteLength > this.limits.maxMessageBytes) {
        conn.close(isBinary ? closeCodes.tooLarge : closeCodes.badMessage);
        return;
      }
      let message: ClientMessage;
      try {
        message = decodeClientMessage(frame);
      } catch {
        conn.closeAfterQueued(closeCodes.badMessage);
        return;
      }
      // Counted as it arrives, not when its turn comes: slow writes must not refill the bucket
      // while a flood waits in the queue, nor let the queue grow without bound.
      if (counts(message, conn.readOnly) && !conn.updates.take()) {
        conn.closeAfterQueued(closeCodes.rateLimited);
        return;
      }
      conn.enqueue(
        () => this.#handle(conn, message),
        (error) => this.#failed(conn, error),
      );
    });
    ws.on('pong', () => (conn.alive = true));
    ws.on('close', () => {
      conn.gone();
      this.#rooms.forget(conn);
    });
    ws.on('error', () => ws.terminate());

    // Wait for the document before saying anything: the client's reply to our step 1 carries
    // its offline edits, and our answer to its step 1 must be the full state.
    conn.enqueue(
      async () => {
        const doc = await this.deps.docs.open(this.deps, dealId);
        conn.send(step1Frame(doc));
        const states = [...room.awareness.getStates().keys()];
        if (states.length > 0) conn.send(awarenessFrame(room.awareness, states));
      },
      (error) => this.#failed(conn, error),
    );
  }

  /** A frame's handling threw where nothing expected it: logged, and that socket only is closed. */
  #failed(conn: SyncConnection<C>, error: unknown): void {
    this.deps.logger.error({ err: error, dealId: conn.room.dealId }, 'sync frame failed');
    conn.close(closeCodes.goingAway);
  }

  async #handle(conn: SyncConnection<C>, message: ClientMessage): Promise<void> {
    const { dealId } = conn.room;
    switch (message.kind) {
      case 'step1': {
        await this.deps.docs.settled(dealId);
        const doc = await this.deps.docs.open(this.deps, dealId);
        conn.send(step2Frame(doc, message.stateVector));
        return;
      }
      case 'queryAwareness': {
        const states = [...conn.room.awareness.getStates().keys()];
        conn.send(awarenessFrame(conn.room.awareness, states));
        return;
      }
      case 'awareness':
        try {
          conn.applyAwareness(message.update);
        } catch {
          conn.close(closeCodes.badMessage);
        }
        return;
      case 'update':
        return this.#update(conn, message.update);
    }
  }

  async #update(conn: SyncConnection<C>, update: Uint8Array): Promise<void> {
    if (conn.readOnly) {
      if (conn.tellReadOnly())
        conn.send(deniedFrame('read-only: your role may not edit this deal'));
      return;
    }
    if (isEmptyUpdate(update)) return;
    try {
      // The writer's budget across all its sockets and the API, beside this socket's bucket.
      await this.deps.writeLimit.charge({ companyId: conn.companyId, id: conn.subjectId });
    } catch {
      return conn.close(closeCodes.rateLimited);
    }
    const { dealId } = conn.room;
    try {
      checkUpdateBytes(update);
      const { denied } = await this.hooks.onUpdate({
        documentName: dealId,
        token: conn.token,
        context: conn.context,
        update,
        origin: conn,
      });
      if (denied) conn.send(deniedFrame(denied));
    } catch (error) {
      if (error instanceof UpdateDenied) return conn.send(deniedFrame(error.message));
      if (error instanceof SyncRefusal) return conn.close(error.close);
      this.deps.logger.error({ err: error, dealId }, 'sync update failed');
      conn.close(closeCodes.goingAway);
    }
  }

  #armExpiry(conn: SyncConnection<C>): void {
    clearTimeout(conn.expiryTimer);
    const ms = conn.expiresAtMs - this.deps.clock.now().getTime();
    // setTimeout holds at most ~24.8 days; tokens live an hour at most.
    conn.expiryTimer = setTimeout(() => conn.close(closeCodes.tokenExpired), Math.max(0, ms));
    conn.expiryTimer.unref();
  }

  /** Closes the connections the hooks no longer admit. */
  async #recheck(connections: SyncConnection<C>[]): Promise<void> {
    for (const conn of connections) {
      if (conn.closed) continue;
      const { token, context } = conn;
      try {
        await this.hooks.onRecheck({ documentName: conn.room.dealId, token, context });
      } catch (error) {
        if (error instanceof SyncRefusal) conn.close(error.close);
        else
          this.deps.logger.error({ err: error, dealId: conn.room.dealId }, 'sync recheck failed');
      }
    }
  }

  #closeRoom(dealId: string, reason: CloseReason): void {
    for (const conn of this.#rooms.in(dealId)) conn.close(reason);
  }

  #ping(): void {
    for (const conn of this.#rooms.all()) {
      if (!conn.alive) {
        conn.ws.terminate();
        continue;
      }
      conn.alive = false;
      conn.ws.ping();
    }
  }

  /** Rooms and connections now open (for health and benchmarks). */
  stats(): { rooms: number; connections: number } {
    return this.#rooms.stats();
  }

  /**
   * Runs the hooks' settling of what edits left for later (at start: what a crash left; on a
   * cluster, now and then, what was left `olderThanMs` ago or more, by any instance).
   */
  async settleDue(olderThanMs?: number): Promise<void> {
    await this.hooks.onSettle?.(olderThanMs);
  }

  /** Lets the hooks settle the rest; call after `close`, before the database closes. */
  async settle(): Promise<void> {
    await this.hooks.onDestroy?.();
  }

  /** Closes every socket with "going away" (clients reconnect to the next server) and stops. */
  close(): void {
    clearInterval(this.#pinger);
    for (const off of this.#unsubscribe) off();
    for (const conn of this.#rooms.all()) conn.close(closeCodes.goingAway);
    this.#rooms.clear();
    this.#wss.close();
  }
}

/** Whether a frame spends the connection's budget: presence, and updates it may make that change something. */
function counts(message: ClientMessage, readOnly: boolean): boolean {
  if (message.kind === 'awareness') return true;
  return message.kind === 'update' && !readOnly && !isEmptyUpdate(message.update);
}

function toBytes(data: RawData): Uint8Array {
  if (Array.isArray(data)) return new Uint8Array(Buffer.concat(data));
  if (data instanceof ArrayBuffer) return new Uint8Array(data);
  return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
}
