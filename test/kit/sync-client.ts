import { WebSocket } from 'ws';
import type { WebsocketProvider } from 'y-websocket';
import type * as Y from 'yjs';
import { openDealRoom } from '../../client/sdk/deal-room-provider.ts';
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
  const denied: string[] = [];
  const closes: number[] = [];
  const room = openDealRoom({
    url: baseUrl,
    dealId,
    token,
    ...options,
    WebSocket: WebSocket as unknown as typeof globalThis.WebSocket,
    onRefusal: (reason) => denied.push(reason),
    onClose: (code) => closes.push(code),
  });
  return {
    doc: room.doc,
    provider: room.provider,
    synced: room.synced,
    denied,
    closes,
    stop: room.leave,
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
