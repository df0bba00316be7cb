import { WebSocket } from 'ws';
import * as Y from 'yjs';
import { openDealRoom, type DealRoom } from '../../client/sdk/deal-room-provider.ts';
import { canonicalJson } from '../../shared/ledger/canonical-json.ts';
import { fieldsMap, notesText, readFields, readPlan } from '../../shared/sync/deal-doc.ts';
import { sleep } from '../../test/kit/sleep.ts';

/** The storm's shared switch: writers and editors loop until `stopped`. */
export interface StormState {
  stopped: boolean;
}

export interface RestTally {
  /** Acknowledged (2xx) upserts: external ref → the amount written. */
  acked: Map<string, number>;
  retries: number;
  /** Writes still unacknowledged when their retry budget ran out. */
  gaveUp: number;
}

const retryForMs = 20_000;

/**
 * One REST writer: upserts fresh deals by external ref, each with an Idempotency-Key, retrying
 * with the same key on a network error, a 5xx, a 429 or a 409 (the key still in flight) until
 * it is acknowledged or its budget runs out, as a careful integration would.
 */
export async function restWriter(
  input: { url: string; token: string; prefix: string },
  state: StormState,
  tally: RestTally,
): Promise<void> {
  for (let n = 0; !state.stopped; n++) {
    const ref = `${input.prefix}-${n}`;
    const amountMinor = 1000 + n;
    const body = JSON.stringify({
      fields: { title: ref, customer: { name: 'Chaos Co' }, amountMinor, currency: 'EUR' },
    });
    const until = Date.now() + retryForMs;
    for (let attempt = 0; ; attempt++) {
      if (attempt > 0) tally.retries++;
      let status = 0;
      try {
        const res = await fetch(`${input.url}/api/v1/opportunities/by-ref/${ref}`, {
          method: 'PUT',
          headers: {
            authorization: `Bearer ${input.token}`,
            'content-type': 'application/json',
            'idempotency-key': `chaos-${ref}`,
          },
          body,
          signal: AbortSignal.timeout(10_000),
        });
        await res.arrayBuffer();
        status = res.status;
      } catch {
        // the instance died under it, or the proxy had none ready: unknown outcome, retry
      }
      if (status >= 200 && status < 300) {
        tally.acked.set(ref, amountMinor);
        break;
      }
      const retryable = status === 0 || status >= 500 || status === 429 || status === 409;
      if (!retryable) throw new Error(`PUT ${ref} answered ${status}`);
      if (Date.now() > until) {
        tally.gaveUp++;
        break;
      }
      await sleep(100 + 50 * Math.min(attempt, 10));
    }
  }
}

/** A stock y-websocket client in a room, editing and timing its reconnects. */
export interface RoomEditor {
  dealId: string;
  name: string;
  room: DealRoom;
  /** The markers it typed into the notes, in order. */
  typed: string[];
  /** Milliseconds from each drop of the connection to the next full sync. */
  reconnectMs: number[];
  /** True while connected and synced. */
  synced(): boolean;
}

export function roomEditor(input: {
  url: string;
  dealId: string;
  token: string;
  name: string;
}): RoomEditor {
  const room = openDealRoom({
    url: input.url,
    dealId: input.dealId,
    token: input.token,
    WebSocket: WebSocket as unknown as typeof globalThis.WebSocket,
  });
  const editor: RoomEditor = {
    dealId: input.dealId,
    name: input.name,
    room,
    typed: [],
    reconnectMs: [],
    synced: () => room.provider.wsconnected && room.provider.synced,
  };
  let droppedAt: number | undefined;
  room.provider.on('status', ({ status }) => {
    if (status === 'disconnected') droppedAt = performance.now();
  });
  room.provider.on('sync', (isSynced) => {
    if (isSynced && droppedAt !== undefined) {
      editor.reconnectMs.push(performance.now() - droppedAt);
      droppedAt = undefined;
    }
  });
  return editor;
}

/**
 * Types into the room until the storm stops: a marker appended to the notes each `everyMs`, and
 * the next step rewritten every fifth time. Edits go on while the socket is down, as a person's
 * would; the provider sends them when it is back.
 */
export async function edit(editor: RoomEditor, everyMs: number, state: StormState): Promise<void> {
  await editor.room.synced;
  for (let n = 0; !state.stopped; n++) {
    const marker = `|${editor.name}.${n}|`;
    const notes = notesText(editor.room.doc);
    notes.insert(notes.length, marker);
    editor.typed.push(marker);
    if (n % 5 === 0) fieldsMap(editor.room.doc).set('nextStep', `${editor.name} step ${n}`);
    await sleep(everyMs);
  }
}

/** What a document says (fields, plan, notes) and what it has seen (its state vector). */
export function snapshot(doc: Y.Doc): { content: string; stateVector: string } {
  const content = canonicalJson({
    fields: readFields(doc),
    plan: readPlan(doc),
    notes: notesText(doc).toString(),
  });
  const vector = [...Y.decodeStateVector(Y.encodeStateVector(doc))].sort(([a], [b]) => a - b);
  return { content, stateVector: JSON.stringify(vector) };
}
