import fc from 'fast-check';
import * as encoding from 'lib0/encoding';
import * as Y from 'yjs';
import { notesText } from '../../shared/sync/deal-doc.ts';

/** A frame for the fuzzer; `malformed` ones must leave the document exactly as it was. */
export interface FuzzFrame {
  kind: string;
  data: Uint8Array | string;
  malformed: boolean;
}

function frame(write: (e: encoding.Encoder) => void): Uint8Array {
  const e = encoding.createEncoder();
  write(e);
  return encoding.toUint8Array(e);
}

const bytes = fc.uint8Array({ maxLength: 80 });
const varUint = fc.oneof(fc.integer({ min: 0, max: 5 }), fc.integer({ min: 0, max: 2 ** 31 }));

/** A sync update frame (type 0, step 2) carrying `update`. */
const updateFrame = (update: Uint8Array, step = 2) =>
  frame((e) => {
    encoding.writeVarUint(e, 0);
    encoding.writeVarUint(e, step);
    encoding.writeVarUint8Array(e, update);
  });

/** An update that writes into the notes from a fresh client: valid on its own. */
function notesUpdate(clientID: number, text: string): Uint8Array {
  const doc = new Y.Doc();
  doc.clientID = clientID;
  notesText(doc).insert(0, text);
  const update = Y.encodeStateAsUpdate(doc);
  doc.destroy();
  return update;
}

/** An update whose structs start at a clock the server never saw: it cannot be applied. */
function danglingUpdate(clientID: number): Uint8Array {
  const doc = new Y.Doc();
  doc.clientID = clientID;
  notesText(doc).insert(0, 'a');
  const first = Y.encodeStateVector(doc);
  notesText(doc).insert(1, 'b');
  const update = Y.encodeStateAsUpdate(doc, first);
  doc.destroy();
  return update;
}

/** An update that writes a root type the deal-room layout does not have. */
function foreignRootUpdate(clientID: number, key: string): Uint8Array {
  const doc = new Y.Doc();
  doc.clientID = clientID;
  doc.getMap(`x-${key}`).set('smuggled', key);
  const update = Y.encodeStateAsUpdate(doc);
  doc.destroy();
  return update;
}

const clientId = fc.integer({ min: 2, max: 2 ** 31 });

/** Random and malformed y-protocols messages, and Yjs updates the gate must refuse. */
export const fuzzFrames: fc.Arbitrary<FuzzFrame> = fc.oneof(
  bytes.map((data) => ({ kind: 'random bytes', data, malformed: true })),
  fc.tuple(varUint, bytes).map(([step, payload]) => ({
    kind: 'sync message, any step, random payload',
    data: updateFrame(payload, step),
    malformed: true,
  })),
  fc.tuple(bytes, fc.integer({ min: 1, max: 2 ** 30 })).map(([payload, extra]) => ({
    kind: 'length prefix past the end',
    data: frame((e) => {
      encoding.writeVarUint(e, 0);
      encoding.writeVarUint(e, 2);
      encoding.writeVarUint(e, payload.length + extra);
      encoding.writeUint8Array(e, payload);
    }),
    malformed: true,
  })),
  fc
    .tuple(
      clientId,
      fc.string({ minLength: 1, maxLength: 20 }),
      fc.nat(),
      fc.integer({ min: 1, max: 255 }),
      fc.boolean(),
    )
    .map(([id, text, at, flip, truncate]) => {
      const update = notesUpdate(id, text);
      const i = at % update.length;
      const bad = truncate ? update.slice(0, i) : update.map((b, k) => (k === i ? b ^ flip : b));
      // A flipped byte can still decode into a valid edit: then the document may change.
      return { kind: 'mutated Yjs update', data: updateFrame(bad), malformed: false };
    }),
  bytes.map((payload) => ({
    kind: 'sync step 1, random state vector',
    data: updateFrame(payload, 0),
    malformed: true,
  })),
  bytes.map((payload) => ({
    kind: 'awareness, random payload',
    data: frame((e) => {
      encoding.writeVarUint(e, 1);
      encoding.writeVarUint8Array(e, payload);
    }),
    malformed: true,
  })),
  fc.tuple(clientId, fc.nat(), fc.string({ maxLength: 20 })).map(([id, clock, state]) => ({
    kind: 'awareness, state not JSON',
    data: frame((e) => {
      encoding.writeVarUint(e, 1);
      const inner = encoding.createEncoder();
      encoding.writeVarUint(inner, 1);
      encoding.writeVarUint(inner, id);
      encoding.writeVarUint(inner, clock);
      encoding.writeVarString(inner, `{${state}`);
      encoding.writeVarUint8Array(e, encoding.toUint8Array(inner));
    }),
    malformed: true,
  })),
  fc.tuple(fc.integer({ min: 2, max: 1000 }), bytes).map(([type, rest]) => ({
    kind: 'unknown or server-only message type',
    data: frame((e) => {
      encoding.writeVarUint(e, type);
      encoding.writeUint8Array(e, rest);
    }),
    malformed: true,
  })),
  fc.string({ maxLength: 40 }).map((data) => ({ kind: 'text frame', data, malformed: true })),
  fc.string({ minLength: 1, maxLength: 10 }).map((text) => ({
    kind: "update under the server's client id",
    data: updateFrame(notesUpdate(1, text)),
    malformed: true,
  })),
  clientId.map((id) => ({
    kind: 'update with missing dependencies',
    data: updateFrame(danglingUpdate(id)),
    malformed: true,
  })),
  fc.tuple(clientId, fc.string({ minLength: 1, maxLength: 8 })).map(([id, key]) => ({
    kind: 'update to a root type outside the layout',
    data: updateFrame(foreignRootUpdate(id, key)),
    malformed: true,
  })),
);
