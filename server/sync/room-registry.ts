import type { PresenceRelay } from './presence-relay.ts';
import { Room, type RoomMember } from './room.ts';

/**
 * The rooms open on this server and the connections in them. A room is made at its first join and
 * dropped, with `onIdle`, once nobody has been in it for `idleMs`; connections are counted per
 * room and per company, for admission's limits.
 */
export class RoomRegistry<M extends RoomMember & { readonly room: Room }> {
  readonly #rooms = new Map<string, Room>();
  readonly #members = new Set<M>();
  readonly #perCompany = new Map<string, number>();

  constructor(
    private readonly idleMs: number,
    private readonly onIdle: (name: string) => void,
    /** Where a room's own presence changes go (other instances), and a new room asks for theirs. */
    private readonly presence?: PresenceRelay,
  ) {}

  /** How many connections the room and the company hold now. */
  occupancy(name: string, companyId: string): { inRoom: number; ofCompany: number } {
    return {
      inRoom: this.#rooms.get(name)?.members.size ?? 0,
      ofCompany: this.#perCompany.get(companyId) ?? 0,
    };
  }

  /** Puts the connection `connect` makes into room `name` (made if needed). */
  join(name: string, connect: (room: Room) => M): M {
    let room = this.#rooms.get(name);
    if (!room) {
      const { presence } = this;
      room = new Room(name, presence && ((update) => presence.publish(name, update)));
      this.#rooms.set(name, room);
      presence?.ask(name);
    }
    clearTimeout(room.idleTimer);
    const member = connect(room);
    room.members.add(member);
    this.#members.add(member);
    this.#count(member.companyId, +1);
    return member;
  }

  /** Forgets a connection that has left its room; an empty room waits `idleMs`, then goes. */
  forget(member: M): void {
    if (!this.#members.delete(member)) return;
    this.#count(member.companyId, -1);
    const room = member.room;
    if (room.members.size > 0) return;
    clearTimeout(room.idleTimer);
    room.idleTimer = setTimeout(() => {
      if (room.members.size > 0 || this.#rooms.get(room.dealId) !== room) return;
      this.#rooms.delete(room.dealId);
      room.destroy();
      this.onIdle(room.dealId);
    }, this.idleMs);
    room.idleTimer.unref();
  }

  get(name: string): Room | undefined {
    return this.#rooms.get(name);
  }

  /** The connections in room `name`. */
  in(name: string): M[] {
    // Only `join` adds to a room, and only members of this registry.
    return [...(this.#rooms.get(name)?.members ?? [])] as M[];
  }

  all(): M[] {
    return [...this.#members];
  }

  stats(): { rooms: number; connections: number } {
    return { rooms: this.#rooms.size, connections: this.#members.size };
  }

  /** Drops every room (their connections are the caller's to close first). */
  clear(): void {
    for (const room of this.#rooms.values()) room.destroy();
    this.#rooms.clear();
  }

  #count(companyId: string, delta: number): void {
    const next = (this.#perCompany.get(companyId) ?? 0) + delta;
    if (next > 0) this.#perCompany.set(companyId, next);
    else this.#perCompany.delete(companyId);
  }
}
