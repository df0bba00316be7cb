import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';
import type { AppDeps } from '../deps.ts';
import { DomainError } from '../core/domain-error.ts';
import { participationStatus } from '../opportunities/opportunity.repository.ts';
import type { Principal } from '../tenants/principal.ts';
import { verifyAccessToken } from '../tenants/tokens/token-verifier.ts';
import { applyClientUpdate, describe, NeedsResync } from './client-update.ts';
import { closeCodes, type CloseReason } from '../../shared/sync/close-codes.ts';
import { NotesSettler } from './notes-settler.ts';
import {
  awarenessFrame,
  decodeClientMessage,
  deniedFrame,
  step1Frame,
  step2Frame,
  updateFrame,
  type ClientMessage,
} from './codec.ts';
import { Room } from './room.ts';
import { Bucket, SyncConnection } from './sync-connection.ts';

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
  /** How often, at most, notes typed in a room reach the tables (per deal). */
  notesEveryMs: number;
}

export const defaultSyncLimits: SyncLimits = {
  maxMessageBytes: 1 << 20,
  messagesPerSecond: 30,
  burst: 120,
  connectionsPerRoom: 50,
  connectionsPerCompany: 500,
  idleUnloadMs: 30_000,
  pingMs: 30_000,
  notesEveryMs: 1000,
};

const roomPath = /^\/sync\/([A-Za-z0-9_-]{1,100})$/;
type Refusal = { refuse: CloseReason };

/**
 * The deal rooms over WebSocket at `/sync/<dealId>?token=…`, speaking the y-websocket protocol so
 * the stock provider works unchanged. The token is checked before the upgrade; a refused socket
 * is accepted and closed at once with a code that tells the client whether to retry. Every update
 * goes through the one write path (checked, ledgered, projected, durable) before anyone else sees
 * it; presence is relayed, not stored.
 */
export class SyncServer {
  readonly #wss: WebSocketServer;
  readonly #rooms = new Map<string, Room>();
  readonly #connections = new Set<SyncConnection>();
  readonly #perCompany = new Map<string, number>();
  readonly #unsubscribe: (() => void)[] = [];
  readonly #pinger: NodeJS.Timeout;
  readonly #notes: NotesSettler;

  constructor(
    private readonly deps: AppDeps,
    private readonly limits: SyncLimits = defaultSyncLimits,
  ) {
    // ws's own ceiling sits above ours, so an oversized frame gets our clear close, not 1009.
    this.#wss = new WebSocketServer({ noServer: true, maxPayload: limits.maxMessageBytes * 2 });
    this.#notes = new NotesSettler(deps, limits.notesEveryMs);
    this.#unsubscribe.push(
      deps.docs.onChange(({ dealId, update, origin }) =>
        this.#rooms.get(dealId)?.broadcast(updateFrame(update), origin),
      ),
      deps.docs.onReset((dealId) => this.#closeRoom(dealId, closeCodes.goingAway)),
      deps.docs.onAccessChange((dealId) => void this.#recheck(this.#roomConnections(dealId))),
      deps.tokenCache.onInvalidate(() => void this.#recheck([...this.#connections])),
    );
    this.#pinger = setInterval(() => this.#ping(), limits.pingMs);
    this.#pinger.unref();
  }

  /** Takes an HTTP upgrade if it is for `/sync`; false leaves it to others. */
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): boolean {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (!url.pathname.startsWith('/sync/')) return false;
    const dealId = roomPath.exec(url.pathname)?.[1];
    void this.#admit(dealId, url.searchParams.get('token')).then(
      (admitted) =>
        this.#wss.handleUpgrade(req, socket, head, (ws) => {
          if ('refuse' in admitted) ws.close(admitted.refuse.code, admitted.refuse.reason);
          else this.#attach(ws, admitted, dealId!);
        }),
      (error: unknown) => {
        this.deps.logger.error({ err: error, path: url.pathname }, 'sync upgrade failed');
        socket.destroy();
      },
    );
    return true;
  }

  /** Who may join the room: a valid token of a company that has accepted the deal, within limits. */
  async #admit(
    dealId: string | undefined,
    token: string | null,
  ): Promise<Refusal | { principal: Principal; token: string; readOnly: boolean }> {
    if (!dealId) return { refuse: closeCodes.notParticipant };
    if (!token) return { refuse: closeCodes.badToken };
    let principal: Principal;
    try {
      principal = await verifyAccessToken(this.deps, token);
    } catch (error) {
      if (error instanceof DomainError && error.code === 'TokenExpired')
        return { refuse: closeCodes.tokenExpired };
      if (error instanceof DomainError) return { refuse: closeCodes.badToken };
      throw error;
    }
    if (!principal.scopes.has('opportunities:read')) return { refuse: closeCodes.forbidden };
    const status = await participationStatus(this.deps.db, {
      dealId,
      companyId: principal.companyId,
    });
    if (status !== 'accepted') return { refuse: closeCodes.notParticipant };
    const inRoom = this.#rooms.get(dealId)?.members.size ?? 0;
    const ofCompany = this.#perCompany.get(principal.companyId) ?? 0;
    if (inRoom >= this.limits.connectionsPerRoom || ofCompany >= this.limits.connectionsPerCompany)
      return { refuse: closeCodes.full };
    return { principal, token, readOnly: !principal.scopes.has('opportunities:write') };
  }

  #attach(
    ws: WebSocket,
    who: { principal: Principal; token: string; readOnly: boolean },
    dealId: string,
  ): void {
    const { principal } = who;
    let room = this.#rooms.get(dealId);
    if (!room) {
      room = new Room(dealId);
      this.#rooms.set(dealId, room);
    }
    clearTimeout(room.idleTimer);
    const bucket = new Bucket(this.limits.messagesPerSecond, this.limits.burst);
    const conn = new SyncConnection(ws, who, room, bucket);
    room.members.add(conn);
    this.#connections.add(conn);
    this.#count(principal.companyId, +1);
    this.#armExpiry(conn);

    ws.on('message', (data: RawData, isBinary: boolean) => {
      const frame = toBytes(data);
      if (!isBinary || frame.byteLength > this.limits.maxMessageBytes) {
        conn.close(isBinary ? closeCodes.tooLarge : closeCodes.badMessage);
        return;
      }
      conn.enqueue(
        () => this.#handle(conn, frame),
        (error) => this.#failed(conn, error),
      );
    });
    ws.on('pong', () => (conn.alive = true));
    ws.on('close', () => {
      conn.gone();
      this.#forget(conn);
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
  #failed(conn: SyncConnection, error: unknown): void {
    this.deps.logger.error({ err: error, dealId: conn.room.dealId }, 'sync frame failed');
    conn.close(closeCodes.goingAway);
  }

  async #handle(conn: SyncConnection, frame: Uint8Array): Promise<void> {
    let message: ClientMessage;
    try {
      message = decodeClientMessage(frame);
    } catch {
      conn.close(closeCodes.badMessage);
      return;
    }
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
        if (!conn.updates.take()) return conn.close(closeCodes.rateLimited);
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

  async #update(conn: SyncConnection, update: Uint8Array): Promise<void> {
    if (conn.readOnly) {
      if (conn.tellReadOnly())
        conn.send(deniedFrame('read-only: your role may not edit this deal'));
      return;
    }
    if (isEmptyUpdate(update)) return;
    if (!conn.updates.take()) return conn.close(closeCodes.rateLimited);
    try {
      // The principal's budget across all its sockets and the API, beside this socket's bucket.
      this.deps.writeLimit.charge(conn.principal);
    } catch {
      return conn.close(closeCodes.rateLimited);
    }
    try {
      const { refused } = await applyClientUpdate(this.deps, conn.principal, {
        dealId: conn.room.dealId,
        update,
        origin: conn,
        notes: this.#notes,
      });
      if (refused.length > 0) conn.send(deniedFrame(`update refused: ${describe(refused)}`));
    } catch (error) {
      if (error instanceof NeedsResync) return conn.close(closeCodes.resync);
      if (error instanceof DomainError && error.code === 'ValidationFailed') {
        conn.send(deniedFrame(error.message));
        return;
      }
      if (error instanceof DomainError && (error.code === 'NotFound' || error.code === 'Forbidden'))
        return conn.close(closeCodes.removed);
      this.deps.logger.error({ err: error, dealId: conn.room.dealId }, 'sync update failed');
      conn.close(closeCodes.goingAway);
    }
  }

  #armExpiry(conn: SyncConnection): void {
    clearTimeout(conn.expiryTimer);
    const ms = conn.principal.token.expiresAt * 1000 - this.deps.clock.now().getTime();
    // setTimeout holds at most ~24.8 days; tokens live an hour at most.
    conn.expiryTimer = setTimeout(() => conn.close(closeCodes.tokenExpired), Math.max(0, ms));
    conn.expiryTimer.unref();
  }

  /** Closes connections whose token or participation no longer holds. */
  async #recheck(connections: SyncConnection[]): Promise<void> {
    for (const conn of connections) {
      if (conn.closed) continue;
      try {
        await verifyAccessToken(this.deps, conn.token);
      } catch (error) {
        const expired = error instanceof DomainError && error.code === 'TokenExpired';
        conn.close(expired ? closeCodes.tokenExpired : closeCodes.badToken);
        continue;
      }
      const status = await participationStatus(this.deps.db, {
        dealId: conn.room.dealId,
        companyId: conn.companyId,
      });
      if (status !== 'accepted') conn.close(closeCodes.removed);
    }
  }

  #roomConnections(dealId: string): SyncConnection[] {
    return [...(this.#rooms.get(dealId)?.members ?? [])] as SyncConnection[];
  }

  #closeRoom(dealId: string, reason: CloseReason): void {
    for (const conn of this.#roomConnections(dealId)) conn.close(reason);
  }

  #forget(conn: SyncConnection): void {
    if (!this.#connections.delete(conn)) return;
    this.#count(conn.companyId, -1);
    const room = conn.room;
    if (room.members.size > 0) return;
    clearTimeout(room.idleTimer);
    room.idleTimer = setTimeout(() => {
      if (room.members.size > 0 || this.#rooms.get(room.dealId) !== room) return;
      this.#rooms.delete(room.dealId);
      room.destroy();
      this.deps.docs.unload(room.dealId);
    }, this.limits.idleUnloadMs);
    room.idleTimer.unref();
  }

  #count(companyId: string, delta: number): void {
    const next = (this.#perCompany.get(companyId) ?? 0) + delta;
    if (next > 0) this.#perCompany.set(companyId, next);
    else this.#perCompany.delete(companyId);
  }

  #ping(): void {
    for (const conn of this.#connections) {
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
    return { rooms: this.#rooms.size, connections: this.#connections.size };
  }

  /** Records notes a crash left unsettled (at start). */
  settleDue(): Promise<void> {
    return this.#notes.settleDue();
  }

  /** Records the notes still due for the tables; call after `close`, before the database closes. */
  settle(): Promise<void> {
    return this.#notes.flush();
  }

  /** Closes every socket with "going away" (clients reconnect to the next server) and stops. */
  close(): void {
    clearInterval(this.#pinger);
    for (const off of this.#unsubscribe) off();
    for (const conn of this.#connections) conn.close(closeCodes.goingAway);
    for (const room of this.#rooms.values()) room.destroy();
    this.#rooms.clear();
    this.#wss.close();
  }
}

function toBytes(data: RawData): Uint8Array {
  if (Array.isArray(data)) return new Uint8Array(Buffer.concat(data));
  if (data instanceof ArrayBuffer) return new Uint8Array(data);
  return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
}

/** An update with no structs and no deletions: what a client sends when it has nothing new. */
function isEmptyUpdate(update: Uint8Array): boolean {
  return update.byteLength === 2 && update[0] === 0 && update[1] === 0;
}
