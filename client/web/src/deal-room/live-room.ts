import { useEffect, useState } from 'react';
import * as authProtocol from 'y-protocols/auth';
import type { Awareness } from 'y-protocols/awareness';
import { messageAuth, WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';

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

function wsBase(): string {
  return `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/sync`;
}

/**
 * Joins a deal room's Yjs document over `/sync/<dealId>` with the stock y-websocket provider
 * (token as a URL parameter: the server's logs drop query strings). The server refuses an
 * invalid write with a y-protocols "permission denied" message carrying the reason; the room
 * then resyncs from the server so the page never shows a state the server did not accept.
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
    const doc = new Y.Doc();
    const provider = new WebsocketProvider(wsBase(), dealId, doc, {
      params: { token: token() ?? '' },
      disableBc: true,
    });
    const awareness = provider.awareness;
    awareness.setLocalState({
      name,
      company,
      companyId,
      color: colors[doc.clientID % colors.length],
      field: null,
    });
    let status: RoomStatus = { state: 'connecting' };
    let refused: string | null = null;
    const resync = () => setGeneration((g) => g + 1);
    const publish = () => setRoom({ doc, awareness, status, refused, resync });
    provider.messageHandlers[messageAuth] = (_encoder, decoder) => {
      authProtocol.readAuthMessage(decoder, doc, (_doc, reason) => {
        refused = reason;
        publish();
      });
    };
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
      // A fresh token for the next attempt (a session can outlive one token).
      provider.params.token = token() ?? '';
      if (status.state === 'connecting') status = { state: 'offline' };
      publish();
    });
    provider.on('closed', ({ reason }) => {
      status = { state: 'closed', reason: reason || 'the server closed the room' };
      publish();
    });
    publish();
    return () => {
      provider.destroy();
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
