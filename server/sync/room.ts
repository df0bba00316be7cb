import * as awarenessProtocol from 'y-protocols/awareness';
import * as Y from 'yjs';
import { awarenessFrame } from './codec.ts';

/** What a room needs of a connection. */
export interface RoomMember {
  companyId: string;
  send(frame: Uint8Array): void;
  /** The awareness client ids this connection announced (removed when it leaves). */
  awarenessIds: Set<number>;
}

/**
 * The people in one deal room: their connections and their presence (awareness). The document
 * itself lives in DealDocs; presence is not stored and not checked beyond its framing.
 */
export class Room {
  readonly members = new Set<RoomMember>();
  /** Presence needs a Y.Doc only for its own client id; the deal's document is elsewhere. */
  readonly awareness = new awarenessProtocol.Awareness(new Y.Doc());
  idleTimer: NodeJS.Timeout | undefined;

  constructor(readonly dealId: string) {
    this.awareness.setLocalState(null);
    this.awareness.on(
      'update',
      (
        change: { added: number[]; updated: number[]; removed: number[] },
        origin: RoomMember | null,
      ) => {
        if (origin && this.members.has(origin)) {
          for (const id of change.added) origin.awarenessIds.add(id);
          for (const id of change.removed) origin.awarenessIds.delete(id);
        }
        const clients = [...change.added, ...change.updated, ...change.removed];
        // To everyone, the sender too: its client counts a message as a sign of life.
        this.broadcast(awarenessFrame(this.awareness, clients));
      },
    );
  }

  broadcast(frame: Uint8Array, except?: unknown): void {
    for (const member of this.members) if (member !== except) member.send(frame);
  }

  leave(member: RoomMember): void {
    if (!this.members.delete(member)) return;
    awarenessProtocol.removeAwarenessStates(this.awareness, [...member.awarenessIds], null);
  }

  destroy(): void {
    clearTimeout(this.idleTimer);
    this.awareness.destroy();
  }
}
