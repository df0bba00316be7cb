/**
 * Signals between the instances that share one database: small messages on named channels, heard
 * by every instance (the sender too). A message may be lost when an instance's connection to the
 * bus drops; each subscriber is then called with `undefined` ("you may have missed some") and
 * catches up from the store, which stays the truth. State never travels only on the bus.
 */
export interface ClusterBus {
  /** This process, as other instances see it in messages it sends. */
  readonly instanceId: string;
  /** Calls `fn` with every message on `channel`, or `undefined` after a possible loss. */
  subscribe(channel: BusChannel, fn: (payload: string | undefined) => void): () => void;
  /** Sends `payload` (under 8000 bytes) to every instance. Resolves once it is sent, not heard. */
  publish(channel: BusChannel, payload: string): Promise<void>;
  close(): Promise<void>;
}

/**
 * The channels. `tokens`, `docs` and `access` are sent by the database itself, by triggers, in the
 * transaction that makes the change (so they are heard only once it commits); `presence` by the
 * instances.
 */
export const busChannels = {
  /** A change that bears on tokens (members, API clients, keys, revocations). */
  tokens: 'tandem_tokens',
  /** A deal document gained stored updates; the payload is the deal id. */
  docs: 'tandem_docs',
  /** Who takes part in a deal changed; the payload is the deal id. */
  access: 'tandem_access',
  /** Presence in a deal room (not stored): `{ i: instanceId, d: dealId, u: base64 }`. */
  presence: 'tandem_presence',
} as const;

export type BusChannel = (typeof busChannels)[keyof typeof busChannels];
