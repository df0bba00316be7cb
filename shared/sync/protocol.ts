/**
 * The y-websocket message kinds and sync steps (y-protocols), as numbers on the wire. Pure: the
 * server's frame codec and any client that speaks to `/sync` share them. See PROTOCOL.md.
 */
export const messageSync = 0;
export const messageAwareness = 1;
/** "Permission denied", with a reason: the server's answer to an edit it refused. */
export const messageAuth = 2;
export const messageQueryAwareness = 3;

export const syncStep1 = 0;
export const syncStep2 = 1;
export const syncUpdate = 2;
