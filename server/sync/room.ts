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

/** The origin of presence that other instances relayed (never relayed on again). */
export const remotePresence = Symbol('another instance');

/**
 * The people in one deal room: their connections and their presence (awareness). The document
 * itself lives in DealDocs; presence is not stored and not checked beyond its framing. Presence
 * that changed here goes to `relay` (the other instances' rooms of the deal).
 */
export class Room {
  readonly members = new Set<RoomMember>();
  /** Presence needs a Y.Doc only for its own client id; the deal's document is elsewhere. */
  readonly awareness = new awarenessProtocol.Awareness(new Y.Doc());
  idleTimer: NodeJS.Timeout | undefined;

  constructor(
    readonly dealId: string,
    private readonly relay?: (update: Uint8Array) => void,
  ) {
    this.awareness.setLocalState(null);
    this.awareness.on(
      'update',
      (
        change: { added: number[]; updated: number[]; removed: number[] },
        origin: RoomMember | typeof remotePresence | 'timeout' | null,
      ) => {
        if (typeof origin === 'object' && origin && this.members.has(origin)) {
          for (const id of change.added) origin.awarenessIds.add(id);
          for (const id of change.removed) origin.awarenessIds.delete(id);
        }
        const clients = [...change.added, ...change.updated, ...change.removed];
        // To everyone, the sender too: its client counts a message as a sign of life.
        this.broadcast(awarenessFrame(this.awareness, clients));
        // Each instance times silent states out itself; other instances' states are theirs.
        if (origin !== remotePresence && origin !== 'timeout' && this.relay)
          this.relay(awarenessProtocol.encodeAwarenessUpdate(this.awareness, clients));
      },
    );
  }

  broadcast(frame: Uint8Array, except?: unknown): void {
    for (const member of this.members) if (member !== except) member.send(frame);
  }

  /** The presence of the people connected here (for another instance that asks). */
  localPresence(): Uint8Array | undefined {
    const ids = [...this.members].flatMap((m) => [...m.awarenessIds]);
    const known = ids.filter((id) => this.awareness.getStates().has(id));
    return known.length > 0
      ? awarenessProtocol.encodeAwarenessUpdate(this.awareness, known)
      : undefined;
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
