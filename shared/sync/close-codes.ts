/**
 * Close codes of `/sync`. The stock y-websocket client stops for good on 4400–4499 and reconnects
 * (with backoff, and the params of the moment) on any other code: terminal codes are for what a
 * retry cannot fix, the others for what a fresh token or a pause can.
 */
export const closeCodes = {
  /** Terminal: a frame that is not the y-websocket protocol. */
  badMessage: { code: 4400, reason: 'bad message' },
  /** Terminal: the token is not valid (forged, revoked, unknown key). */
  badToken: { code: 4401, reason: 'invalid token' },
  /** Terminal: no such deal, or the caller's company does not take part in it (indistinguishable). */
  notParticipant: { code: 4404, reason: 'no such deal, or not a participant' },
  /** Terminal: the caller's role may not open deal rooms. */
  forbidden: { code: 4403, reason: 'your role may not open deal rooms' },
  /** Terminal: the company was removed from the deal or declined it. */
  removed: { code: 4403, reason: 'no longer a participant of this deal' },
  /** Terminal: a frame over the size limit. */
  tooLarge: { code: 4413, reason: 'message too large' },
  /** Reconnect with a fresh token. */
  tokenExpired: { code: 4001, reason: 'token expired; reconnect with a fresh token' },
  /** Reconnect and sync again: the server lacks changes this update builds on. */
  resync: { code: 4002, reason: 'resync needed' },
  /** Reconnect later: too many updates per second. */
  rateLimited: { code: 4029, reason: 'too many updates; slow down' },
  /** Reconnect later: the room or the company has too many connections. */
  full: { code: 1013, reason: 'too many connections; try again later' },
  /** Reconnect: the server is shutting down or lost a write. */
  goingAway: { code: 1001, reason: 'server going away' },
} as const;

export type CloseReason = (typeof closeCodes)[keyof typeof closeCodes];
