import * as awarenessProtocol from 'y-protocols/awareness';
import * as Y from 'yjs';
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import {
  messageAuth,
  messageAwareness,
  messageQueryAwareness,
  messageSync,
  syncStep1,
  syncStep2,
  syncUpdate,
} from '../../shared/sync/protocol.ts';

// The frames of `/sync`: what clients send, decoded strictly; what the server sends, encoded.

/** A frame from a client, decoded; raises on anything that is not the protocol. */
export type ClientMessage =
  | { kind: 'step1'; stateVector: Uint8Array }
  | { kind: 'update'; update: Uint8Array; step: 'step2' | 'update' }
  | { kind: 'awareness'; update: Uint8Array }
  | { kind: 'queryAwareness' };

export function decodeClientMessage(frame: Uint8Array): ClientMessage {
  const decoder = decoding.createDecoder(frame);
  const type = decoding.readVarUint(decoder);
  let message: ClientMessage;
  if (type === messageSync) {
    const step = decoding.readVarUint(decoder);
    const payload = decoding.readVarUint8Array(decoder);
    if (step === syncStep1) {
      // Decoded here, not when answering: a state vector that does not decode is a bad frame.
      Y.decodeStateVector(payload);
      message = { kind: 'step1', stateVector: payload };
    } else if (step === syncStep2 || step === syncUpdate)
      message = { kind: 'update', update: payload, step: step === syncStep2 ? 'step2' : 'update' };
    else throw new Error(`unknown sync step ${step}`);
  } else if (type === messageAwareness) {
    message = { kind: 'awareness', update: decoding.readVarUint8Array(decoder) };
  } else if (type === messageQueryAwareness) {
    message = { kind: 'queryAwareness' };
  } else {
    throw new Error(`unknown message type ${type}`);
  }
  if (decoding.hasContent(decoder)) throw new Error('trailing bytes');
  return message;
}

function frame(write: (encoder: encoding.Encoder) => void): Uint8Array {
  const encoder = encoding.createEncoder();
  write(encoder);
  return encoding.toUint8Array(encoder);
}

export const step1Frame = (doc: Y.Doc): Uint8Array =>
  frame((e) => {
    encoding.writeVarUint(e, messageSync);
    encoding.writeVarUint(e, syncStep1);
    encoding.writeVarUint8Array(e, Y.encodeStateVector(doc));
  });

export const step2Frame = (doc: Y.Doc, stateVector: Uint8Array): Uint8Array =>
  frame((e) => {
    encoding.writeVarUint(e, messageSync);
    encoding.writeVarUint(e, syncStep2);
    encoding.writeVarUint8Array(e, Y.encodeStateAsUpdate(doc, stateVector));
  });

export const updateFrame = (update: Uint8Array): Uint8Array =>
  frame((e) => {
    encoding.writeVarUint(e, messageSync);
    encoding.writeVarUint(e, syncUpdate);
    encoding.writeVarUint8Array(e, update);
  });

export const awarenessFrame = (
  awareness: awarenessProtocol.Awareness,
  clients: number[],
): Uint8Array =>
  frame((e) => {
    encoding.writeVarUint(e, messageAwareness);
    encoding.writeVarUint8Array(e, awarenessProtocol.encodeAwarenessUpdate(awareness, clients));
  });

/** "Permission denied" with a reason: the stock client logs it; our web app shows it. */
export const deniedFrame = (reason: string): Uint8Array =>
  frame((e) => {
    encoding.writeVarUint(e, messageAuth);
    encoding.writeVarUint(e, 0);
    encoding.writeVarString(e, reason);
  });
