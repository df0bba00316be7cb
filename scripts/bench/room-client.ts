import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import { WebSocket } from 'ws';
import * as authProtocol from 'y-protocols/auth';
import * as syncProtocol from 'y-protocols/sync';
import { messageAuth, messageSync } from 'y-websocket';
import * as Y from 'yjs';
import { dealRoomUrl, openDealRoom, type DealRoom } from '../../client/sdk/deal-room-provider.ts';
import { fieldsMap } from '../../shared/sync/deal-doc.ts';

/**
 * Where a room lives: `<baseUrl>/sync/<dealId>?token=…`. The reference server takes any path as
 * its room name, so it is addressed the same way (a room id stands in for the deal id).
 */
export interface RoomAddress {
  /** http://host:port of the server. */
  baseUrl: string;
  dealId: string;
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
    this.ws = new WebSocket(dealRoomUrl(address.baseUrl, address.dealId, address.token));
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
      encoding.writeVarUint(e, messageSync);
      syncProtocol.writeSyncStep1(e, this.doc);
      this.ws.send(encoding.toUint8Array(e));
    });
    this.ws.on('message', (data: Buffer) => {
      const decoder = decoding.createDecoder(new Uint8Array(data));
      const type = decoding.readVarUint(decoder);
      if (type === messageSync) {
        const reply = encoding.createEncoder();
        encoding.writeVarUint(reply, messageSync);
        const step = syncProtocol.readSyncMessage(decoder, reply, this.doc, remote);
        if (step === syncProtocol.messageYjsSyncStep2) markSynced();
        if (encoding.length(reply) > 1) this.ws.send(encoding.toUint8Array(reply));
      } else if (type === messageAuth) {
        authProtocol.readAuthMessage(decoder, this.doc, (_doc, reason) => this.denied.push(reason));
      }
    });
    this.doc.on('update', (update: Uint8Array, origin: unknown) => {
      if (origin === remote || this.ws.readyState !== WebSocket.OPEN) return;
      const e = encoding.createEncoder();
      encoding.writeVarUint(e, messageSync);
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

/** The stock provider through the SDK's wrapper, in Node (`ws` as its WebSocket). */
export function stockClient(address: RoomAddress): DealRoom & { stop(): void } {
  const room = openDealRoom({
    url: address.baseUrl,
    dealId: address.dealId,
    token: address.token ?? '',
    WebSocket: WebSocket as unknown as typeof globalThis.WebSocket,
  });
  return {
    ...room,
    stop: () => {
      room.leave();
      room.doc.destroy();
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
