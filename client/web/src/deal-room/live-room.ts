import { useEffect, useState } from 'react';
import type { Awareness } from 'y-protocols/awareness';
import type * as Y from 'yjs';
import { fieldsMap, notesText } from '../../../../shared/sync/deal-doc.ts';
import { openDealRoom, type DealRoomSaves } from '../../../sdk/deal-room-provider.ts';
import { FieldStatusStore } from './field-status.ts';
import { FieldUndo } from './field-undo.ts';

/** Who is in the room: what each browser publishes through y-protocols awareness. */
export interface Presence {
  clientId: number;
  name: string;
  company: string;
  companyId: string;
  color: string;
  /** The field (or `notes`) the person is typing in, if any. */
  field: string | null;
}

export type RoomStatus =
  | { state: 'connecting' }
  | { state: 'live' }
  | { state: 'offline' }
  | { state: 'closed'; reason: string };

export interface LiveRoom {
  doc: Y.Doc;
  awareness: Awareness;
  status: RoomStatus;
  /**
   * The document synced with the server at least once. From then on the page edits it whether
   * or not the socket is up: offline edits stay here and go out on reconnect.
   */
  ready: boolean;
  /** Which local changes the server has answered for. */
  saves: DealRoomSaves;
  /** Each field's save state and problem. */
  fields: FieldStatusStore;
  /** Undo of this page's own last field change. */
  undo: FieldUndo;
  /** The last refusal that named no field (the plan, a read-only role), in the server's words. */
  refused: string | null;
  /** Drops the refused local state: a fresh document, synced again from the server. */
  resync: () => void;
}

const colors = ['#1f77b4', '#d62728', '#2ca02c', '#9467bd', '#ff7f0e', '#17becf', '#8c564b'];

/** The fields (and `notes`) a transaction changed. */
function changedFields(doc: Y.Doc, tr: Y.Transaction): string[] {
  const changed = tr.changed as Map<unknown, Set<string | null>>;
  const keys = [...(changed.get(fieldsMap(doc)) ?? [])].filter(
    (k): k is string => typeof k === 'string',
  );
  if (changed.has(notesText(doc))) keys.push('notes');
  return keys;
}

/**
 * Joins a deal room through the SDK's provider and follows it as React state. The server refuses
 * an invalid write with a "permission denied" message naming the paths and why, and undoes it for
 * everyone; the refusal lands next to the field (see FieldStatusStore). The browser going offline
 * closes the socket at once (a socket can take half a minute to notice), and coming back online
 * reconnects; the provider then sends what was edited meanwhile.
 */
export function useLiveRoom(
  dealId: string,
  token: () => string | undefined,
  me: { name: string; company: string; companyId: string },
): LiveRoom | null {
  const [generation, setGeneration] = useState(0);
  const [room, setRoom] = useState<LiveRoom | null>(null);
  const { name, company, companyId } = me;

  useEffect(() => {
    let status: RoomStatus = { state: 'connecting' };
    let ready = false;
    let refused: string | null = null;
    const fields = new FieldStatusStore();
    /** Everyone seen in the room, by Yjs client id, kept after they leave: who wrote what. */
    const seen = new Map<number, string>();
    const { doc, provider, saves, leave } = openDealRoom({
      url: location.origin,
      dealId,
      token,
      onRefusal: (reason) => {
        const { fields: named, rest } = fields.refused(
          reason,
          (field) => fieldsMap(doc).get(field) ?? null,
        );
        if (named.length > 0) undo.clear();
        if (rest) {
          refused = rest;
          publish();
        }
      },
    });
    const undo = new FieldUndo(doc, (clientId) => seen.get(clientId) ?? null);
    const awareness = provider.awareness;
    const resync = () => setGeneration((g) => g + 1);
    const publish = () =>
      setRoom({ doc, awareness, status, ready, saves, fields, undo, refused, resync });
    const setStatus = (next: RoomStatus) => {
      status = next;
      fields.setOffline(next.state !== 'live');
      publish();
    };
    awareness.setLocalState({
      name,
      company,
      companyId,
      color: colors[doc.clientID % colors.length],
      field: null,
    });
    const remember = () => {
      for (const [clientId, state] of awareness.getStates())
        if (typeof state.name === 'string')
          seen.set(clientId, state.company ? `${state.name} (${state.company})` : state.name);
    };
    remember();
    awareness.on('change', remember);
    const onUpdate = (_u: Uint8Array, origin: unknown, _d: Y.Doc, tr: Y.Transaction) => {
      const changed = changedFields(doc, tr);
      if (origin === provider) fields.remoteChange(changed);
      else fields.localChange(changed, saves.made);
    };
    doc.on('update', onUpdate);
    const offSaves = saves.on(() => fields.confirmed(saves.confirmed));

    provider.on('sync', (synced: boolean) => {
      if (!synced) return publish();
      ready = true;
      setStatus({ state: 'live' });
    });
    provider.on('status', ({ status: s }) => {
      if (s === 'disconnected' && status.state !== 'closed') return setStatus({ state: 'offline' });
      if (s === 'connecting' && status.state === 'offline')
        return setStatus({ state: 'connecting' });
      publish();
    });
    provider.on('connection-close', () => {
      if (status.state === 'connecting') return setStatus({ state: 'offline' });
      publish();
    });
    provider.on('closed', ({ reason }) => {
      setStatus({ state: 'closed', reason: reason || 'the server closed the room' });
    });
    const goOffline = () => provider.disconnect();
    const goOnline = () => {
      if (status.state !== 'closed') provider.connect();
    };
    window.addEventListener('offline', goOffline);
    window.addEventListener('online', goOnline);
    publish();
    return () => {
      window.removeEventListener('offline', goOffline);
      window.removeEventListener('online', goOnline);
      awareness.off('change', remember);
      doc.off('update', onUpdate);
      offSaves();
      undo.destroy();
      leave();
      doc.destroy();
    };
  }, [dealId, token, name, company, companyId, generation]);

  return room;
}

/** Everyone in the room (this browser included), and a re-render when that changes. */
export function usePresence(awareness: Awareness | undefined): Presence[] {
  const [list, setList] = useState<Presence[]>([]);
  useEffect(() => {
    if (!awareness) return;
    const update = () =>
      setList(
        [...awareness.getStates()]
          .filter(([, s]) => typeof s.name === 'string')
          .map(([clientId, s]) => ({ clientId, ...(s as Omit<Presence, 'clientId'>) })),
      );
    update();
    awareness.on('change', update);
    return () => awareness.off('change', update);
  }, [awareness]);
  return list;
}

/** Re-renders on every change of the document; returns a counter to key derived state on. */
export function useDocVersion(doc: Y.Doc | undefined): number {
  const [v, setV] = useState(0);
  useEffect(() => {
    if (!doc) return;
    const bump = () => setV((x) => x + 1);
    doc.on('update', bump);
    return () => doc.off('update', bump);
  }, [doc]);
  return v;
}
