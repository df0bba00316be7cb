import * as authProtocol from 'y-protocols/auth';
import { messageAuth, WebsocketProvider } from 'y-websocket';
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
  return { doc, provider, synced: firstSync(provider), leave: () => provider.destroy() };
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
