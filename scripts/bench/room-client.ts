import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import { WebSocket } from 'ws';
import { WebsocketProvider } from 'y-websocket';
import * as syncProtocol from 'y-protocols/sync';
import * as Y from 'yjs';
import { fieldsMap } from '../../shared/sync/deal-doc.ts';

/** Where a room lives: Tandem's `/sync/<dealId>?token=…` or the reference's `/<room>`. */
export interface RoomAddress {
  /** ws://host:port/sync for Tandem, ws://host:port for the reference. */
  serverUrl: string;
  room: string;
  token?: string;
}

const remote = Symbol('remote');

/**
 * A light y-websocket client speaking raw y-protocols frames: one socket and one Y.Doc, no
 * awareness, no reconnect, no timers. The stock provider carries an awareness instance and
 * intervals per client; this one lets a single process hold thousands of room members.
 */
export class RawRoomClient {
  readonly doc = new Y.Doc();
  readonly ws: WebSocket;
  /** Reasons of "permission denied" messages. */
  readonly denied: string[] = [];
  closeCode: number | undefined;
  readonly synced: Promise<void>;
  readonly closed: Promise<number>;

  constructor(address: RoomAddress) {
    const query = address.token ? `?token=${encodeURIComponent(address.token)}` : '';
    this.ws = new WebSocket(`${address.serverUrl}/${address.room}${query}`);
    this.ws.binaryType = 'nodebuffer';
    let markSynced: () => void = () => {};
    this.synced = new Promise<void>((resolve, reject) => {
      markSynced = resolve;
      this.ws.once('error', reject);
      this.ws.once('close', (code) => reject(new Error(`closed ${code} before sync`)));
    });
    this.synced.catch(() => {});
    this.closed = new Promise((resolve) =>
      this.ws.on('close', (code) => {
        this.closeCode = code;
        resolve(code);
      }),
    );
    this.ws.on('error', () => {});
    this.ws.on('open', () => {
      const e = encoding.createEncoder();
      encoding.writeVarUint(e, 0);
      syncProtocol.writeSyncStep1(e, this.doc);
      this.ws.send(encoding.toUint8Array(e));
    });
    this.ws.on('message', (data: Buffer) => {
      const decoder = decoding.createDecoder(new Uint8Array(data));
      const type = decoding.readVarUint(decoder);
      if (type === 0) {
        const reply = encoding.createEncoder();
        encoding.writeVarUint(reply, 0);
        const step = syncProtocol.readSyncMessage(decoder, reply, this.doc, remote);
        if (step === syncProtocol.messageYjsSyncStep2) markSynced();
        if (encoding.length(reply) > 1) this.ws.send(encoding.toUint8Array(reply));
      } else if (type === 2) {
        decoding.readVarUint(decoder);
        this.denied.push(decoding.readVarString(decoder));
      }
    });
    this.doc.on('update', (update: Uint8Array, origin: unknown) => {
      if (origin === remote || this.ws.readyState !== WebSocket.OPEN) return;
      const e = encoding.createEncoder();
      encoding.writeVarUint(e, 0);
      syncProtocol.writeUpdate(e, update);
      this.ws.send(encoding.toUint8Array(e));
    });
  }

  /** Sends a frame as is (for fuzzing). */
  sendRaw(frame: Uint8Array | string): void {
    this.ws.send(frame);
  }

  stop(): void {
    this.ws.terminate();
    this.doc.destroy();
  }
}

/** The stock y-websocket provider in Node (ws as its WebSocket, no BroadcastChannel). */
export function stockClient(address: RoomAddress): {
  doc: Y.Doc;
  provider: WebsocketProvider;
  synced: Promise<void>;
  stop(): void;
} {
  const doc = new Y.Doc();
  const provider = new WebsocketProvider(address.serverUrl, address.room, doc, {
    params: address.token ? { token: address.token } : {},
    WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
    disableBc: true,
  });
  const synced = new Promise<void>((resolve) => {
    if (provider.synced) resolve();
    provider.once('sync', () => resolve());
  });
  return {
    doc,
    provider,
    synced,
    stop: () => {
      provider.destroy();
      doc.destroy();
    },
  };
}

/** Resolves when `doc`'s fields map holds `value` at `key` (or at once if it already does). */
export function seen(doc: Y.Doc, key: string, value: unknown, ms = 20_000): Promise<number> {
  const fields = fieldsMap(doc);
  if (fields.get(key) === value) return Promise.resolve(performance.now());
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      fields.unobserve(check);
      reject(new Error(`${key} = ${String(value)} not seen within ${ms} ms`));
    }, ms);
    function check() {
      if (fields.get(key) !== value) return;
      clearTimeout(timer);
      fields.unobserve(check);
      resolve(performance.now());
    }
    fields.observe(check);
  });
}
