import { useEffect, useState } from 'react';
import type { Awareness } from 'y-protocols/awareness';
import type * as Y from 'yjs';
import { openDealRoom } from '../../../sdk/deal-room-provider.ts';

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
  /** The last write the server refused, in its words. */
  refused: string | null;
  /** Drops the refused local state: a fresh document, synced again from the server. */
  resync: () => void;
}

const colors = ['#1f77b4', '#d62728', '#2ca02c', '#9467bd', '#ff7f0e', '#17becf', '#8c564b'];

/**
 * Joins a deal room through the SDK's provider and follows it as React state. The server refuses
 * an invalid write with a "permission denied" message carrying the reason; on `resync` the room
 * starts over from the server so the page never shows a state the server did not accept.
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
    let refused: string | null = null;
    const { doc, provider, leave } = openDealRoom({
      url: location.origin,
      dealId,
      token,
      onRefusal: (reason) => {
        refused = reason;
        publish();
      },
    });
    const awareness = provider.awareness;
    const resync = () => setGeneration((g) => g + 1);
    const publish = () => setRoom({ doc, awareness, status, refused, resync });
    awareness.setLocalState({
      name,
      company,
      companyId,
      color: colors[doc.clientID % colors.length],
      field: null,
    });
    provider.on('sync', (synced: boolean) => {
      if (synced) status = { state: 'live' };
      publish();
    });
    provider.on('status', ({ status: s }) => {
      if (s === 'disconnected' && status.state !== 'closed') status = { state: 'offline' };
      if (s === 'connecting' && status.state === 'offline') status = { state: 'connecting' };
      publish();
    });
    provider.on('connection-close', () => {
      if (status.state === 'connecting') status = { state: 'offline' };
      publish();
    });
    provider.on('closed', ({ reason }) => {
      status = { state: 'closed', reason: reason || 'the server closed the room' };
      publish();
    });
    publish();
    return () => {
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
