import * as authProtocol from 'y-protocols/auth';
import type * as decoding from 'lib0/decoding';
import type * as encoding from 'lib0/encoding';
import { WebSocket } from 'ws';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { sleep } from './sleep.ts';

/** A stock y-websocket provider on a deal room, recording what the server said to it. */
export interface RoomClient {
  doc: Y.Doc;
  provider: WebsocketProvider;
  /** Reasons of "permission denied" messages (refused updates, read-only). */
  denied: string[];
  /** Close codes the server closed with, in order. */
  closes: number[];
  synced: Promise<void>;
  stop(): void;
}

export function joinRoom(
  baseUrl: string,
  dealId: string,
  token: string,
  options: { doc?: Y.Doc; connect?: boolean } = {},
): RoomClient {
  const doc = options.doc ?? new Y.Doc();
  const provider = new WebsocketProvider(`${baseUrl.replace(/^http/, 'ws')}/sync`, dealId, doc, {
    params: { token },
    WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
    disableBc: true,
    connect: options.connect ?? true,
  });
  const denied: string[] = [];
  const closes: number[] = [];
  // The stock handler only logs "permission denied"; keep the reason for the test instead.
  provider.messageHandlers[2] = (
    _encoder: encoding.Encoder,
    decoder: decoding.Decoder,
    p: WebsocketProvider,
  ) => authProtocol.readAuthMessage(decoder, p.doc, (_doc, reason) => denied.push(reason));
  provider.on('connection-close', (event) => {
    if (event) closes.push(event.code);
  });
  const synced = new Promise<void>((resolve) => {
    if (provider.synced) resolve();
    provider.once('sync', () => resolve());
  });
  return {
    doc,
    provider,
    denied,
    closes,
    synced,
    stop: () => provider.destroy(),
  };
}

/** Polls `check` until it holds (or throws its last failure after `ms`). */
export async function eventually(check: () => void | Promise<void>, ms = 3000): Promise<void> {
  const until = Date.now() + ms;
  for (;;) {
    try {
      await check();
      return;
    } catch (error) {
      if (Date.now() > until) throw error;
      await sleep(20);
    }
  }
}
