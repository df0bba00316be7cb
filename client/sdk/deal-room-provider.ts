import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import * as authProtocol from 'y-protocols/auth';
import * as syncProtocol from 'y-protocols/sync';
import { messageAuth, messageSync, WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';

export interface DealRoomOptions {
  /** The server's base URL, e.g. `http://localhost:4100` (ws:// and wss:// are taken as they are). */
  url: string;
  dealId: string;
  /** An access token, or a function returning the current one (read again before each reconnect). */
  token: string | (() => string | undefined);
  /** The document to sync; a fresh one by default. It stays the caller's to destroy. */
  doc?: Y.Doc;
  /** Connect at once (the default) or wait for `provider.connect()`. */
  connect?: boolean;
  /** Where there is no global WebSocket (Node 20): the `ws` package. */
  WebSocket?: typeof globalThis.WebSocket;
  /** The server refused a write (or the whole role is read-only), in its words. */
  onRefusal?: (reason: string) => void;
  /** The server closed the socket with this code (see shared/sync/close-codes.ts). */
  onClose?: (code: number) => void;
}

export interface DealRoom {
  readonly doc: Y.Doc;
  /** The stock provider: awareness, status events, connect/disconnect. */
  readonly provider: WebsocketProvider;
  /** Resolves on the first sync; rejects if the server closes the room for good before it. */
  readonly synced: Promise<void>;
  /** Which local changes the server has answered for (stored, or refused and undone). */
  readonly saves: DealRoomSaves;
  /** Leaves the room for good. */
  leave(): void;
}

/** The `/sync` endpoint of a server, as a WebSocket URL. */
export function syncUrl(baseUrl: string): string {
  return `${baseUrl.replace(/\/+$/, '').replace(/^http/, 'ws')}/sync`;
}

/** The full URL of a deal room, for clients that speak the frames themselves. */
export function dealRoomUrl(baseUrl: string, dealId: string, token?: string): string {
  const query = token === undefined ? '' : `?token=${encodeURIComponent(token)}`;
  return `${syncUrl(baseUrl)}/${dealId}${query}`;
}

const currentToken = (token: DealRoomOptions['token']) =>
  (typeof token === 'function' ? token() : token) ?? '';

/**
 * Joins a deal room with the stock y-websocket provider. The token travels as a URL parameter
 * (the server's logs drop query strings). When it runs out the server closes with
 * `closeCodes.tokenExpired` (shared/sync/close-codes.ts), which the stock provider retries: it
 * reconnects with what `token()` returns then. Refusals arrive as y-protocols "permission denied"
 * messages, which the stock provider only logs.
 */
export function openDealRoom(options: DealRoomOptions): DealRoom {
  const doc = options.doc ?? new Y.Doc();
  const provider = new WebsocketProvider(syncUrl(options.url), options.dealId, doc, {
    params: { token: currentToken(options.token) },
    connect: options.connect ?? true,
    // Tabs must not sync with each other: every edit goes through the server's checks.
    disableBc: true,
    ...(options.WebSocket ? { WebSocketPolyfill: options.WebSocket } : {}),
  });
  provider.messageHandlers[messageAuth] = (_encoder, decoder) =>
    authProtocol.readAuthMessage(decoder, doc, (_doc, reason) => options.onRefusal?.(reason));
  provider.on('connection-close', (event) => {
    // Every close, not only tokenExpired: a reconnect after a restart must carry today's token too.
    if (typeof options.token === 'function') provider.params.token = currentToken(options.token);
    if (event) options.onClose?.(event.code);
  });
  const saves = trackSaves(provider, doc);
  return {
    doc,
    provider,
    synced: firstSync(provider),
    saves,
    leave: () => {
      saves.stop();
      provider.destroy();
    },
  };
}

/**
 * Local changes counted, and how many of them the server has answered for. A change is "made"
 * when the document takes a transaction that did not come from the server; it is "confirmed" once
 * the server has handled it: stored durably (and relayed), or refused and undone (the refusal
 * then arrives first, through `onRefusal`). Until then it is saving, or waiting for the socket
 * when there is none (the provider sends it on reconnect).
 */
export interface DealRoomSaves {
  /** Local changes made so far (a counter, from 0). */
  readonly made: number;
  /** The first `confirmed` of them the server has answered for. */
  readonly confirmed: number;
  /** Calls `listener` whenever `made` or `confirmed` moves; returns the way to stop. */
  on(listener: () => void): () => void;
  /** Resolves once the server has answered for every change made before the call. */
  settled(): Promise<void>;
}

/**
 * How confirmation works, with the stock protocol only: the server handles one socket's frames
 * in order, and answers a sync step 1 with a step 2 only after every frame before it (see
 * shared/sync/PROTOCOL.md). So after local changes are sent this sends a step 1 of its own (a
 * "probe", one at a time) and takes its answer as the confirmation of every change sent before
 * it. The step 2 answers arrive in the order of the step 1s, the provider's own (one when the
 * socket opens) included. After a reconnect, changes made offline travel in the answer to the
 * server's step 1, so no probe goes out before that answer has been sent.
 */
const probePauseMs = 50;

function trackSaves(provider: WebsocketProvider, doc: Y.Doc): DealRoomSaves & { stop(): void } {
  let made = 0;
  let confirmed = 0;
  /** The highest change a probe on this socket covers. */
  let probed = 0;
  /** What each step 1 still unanswered on this socket covers (null: the provider's own). */
  let awaiting: (number | null)[] = [];
  /** Whether this socket answered the server's step 1 (so offline changes are on their way). */
  let answered = false;
  const listeners = new Set<() => void>();
  const emit = () => {
    for (const listener of listeners) listener();
  };

  const probe = () => {
    const ws = provider.ws;
    if (!answered || !provider.wsconnected || !ws || ws.readyState !== ws.OPEN) return;
    if (made <= probed || awaiting.some((a) => a !== null)) return;
    const encoder = encoding.createEncoder();
    encoding.writeVarUint(encoder, messageSync);
    syncProtocol.writeSyncStep1(encoder, doc);
    ws.send(encoding.toUint8Array(encoder));
    awaiting.push(made);
    probed = made;
  };

  const onStatus = ({ status }: { status: string }) => {
    // "connected" comes just before the provider sends its own step 1.
    awaiting = status === 'connected' ? [null] : [];
    answered = false;
    probed = confirmed;
  };
  provider.on('status', onStatus);

  const stock = provider.messageHandlers[messageSync]!;
  provider.messageHandlers[messageSync] = (encoder, decoder, p, emitSynced, type) => {
    const kind = decoding.peekVarUint(decoder);
    stock(encoder, decoder, p, emitSynced, type);
    if (kind === syncProtocol.messageYjsSyncStep2) {
      const covers = awaiting.shift();
      if (typeof covers === 'number' && covers > confirmed) {
        confirmed = covers;
        emit();
      }
      probe();
    } else if (kind === syncProtocol.messageYjsSyncStep1) {
      // The answer (with any offline changes) is sent when this handler returns.
      answered = true;
      queueMicrotask(probe);
    }
  };

  // While someone types, a probe waits for a pause: it costs the server a step 2 each, and a
  // step 1 is answered only once no write to the deal is under way.
  let pause: ReturnType<typeof setTimeout> | undefined;
  const onUpdate = (_update: Uint8Array, origin: unknown) => {
    if (origin === provider) return;
    made += 1;
    emit();
    // The provider's own listener came first, so the change itself is already on the socket.
    clearTimeout(pause);
    pause = setTimeout(probe, probePauseMs);
  };
  doc.on('update', onUpdate);

  const on = (listener: () => void) => {
    listeners.add(listener);
    return () => void listeners.delete(listener);
  };
  return {
    get made() {
      return made;
    },
    get confirmed() {
      return confirmed;
    },
    on,
    settled() {
      const target = made;
      if (confirmed >= target) return Promise.resolve();
      return new Promise<void>((resolve) => {
        const off = on(() => {
          if (confirmed < target) return;
          off();
          resolve();
        });
      });
    },
    stop() {
      clearTimeout(pause);
      provider.off('status', onStatus);
      doc.off('update', onUpdate);
      listeners.clear();
    },
  };
}

function firstSync(provider: WebsocketProvider): Promise<void> {
  const synced = new Promise<void>((resolve, reject) => {
    if (provider.synced) return resolve();
    const onSync = (isSynced: boolean) => {
      if (!isSynced) return;
      provider.off('sync', onSync);
      provider.off('closed', onClosed);
      resolve();
    };
    const onClosed = ({ code, reason }: { code: number; reason: string }) => {
      provider.off('sync', onSync);
      provider.off('closed', onClosed);
      reject(new Error(`deal room closed ${code} (${reason}) before sync`));
    };
    provider.on('sync', onSync);
    provider.on('closed', onClosed);
  });
  // Whoever never awaits it must not see an unhandled rejection.
  synced.catch(() => {});
  return synced;
}
