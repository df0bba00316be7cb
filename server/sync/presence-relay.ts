/**
 * Presence between the instances that hold rooms of the same deal (several instances behind one
 * load balancer). Presence is not stored: a message lost here is made good by the clients, which
 * renew their state every 15 s, and a dead instance's people fade after 30 s like any silent
 * client's.
 */
export interface PresenceRelay {
  /** This instance's room of the deal saw presence change (an awareness update). */
  publish(dealId: string, update: Uint8Array): void;
  /** A room of the deal opened here: ask the others for the presence they hold. */
  ask(dealId: string): void;
  /** Another instance's presence change. */
  onRemote(fn: (dealId: string, update: Uint8Array) => void): () => void;
  /** Another instance asks for the presence of the deal's room here. */
  onAsk(fn: (dealId: string) => void): () => void;
}
