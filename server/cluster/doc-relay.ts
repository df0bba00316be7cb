import type { Deps } from '../deps.ts';
import { busChannels, type ClusterBus } from './bus.ts';

/**
 * Other instances' commits reach this instance's deal rooms: the database says which deal's
 * document gained updates (`docs`) or changed hands (`access`), and the live document catches up
 * from the store, so a relayed edit is always one already durable. After a possible loss on the
 * bus, every live document catches up and every room is rechecked.
 */
export function relayDocs(deps: Deps<'db' | 'docs' | 'logger'>, bus: ClusterBus): () => void {
  const catchUp = (dealId: string) =>
    deps.docs
      .catchUp(deps.db, dealId)
      .catch((error: unknown) =>
        deps.logger.error({ err: error, dealId }, 'a deal room could not catch up'),
      );
  const offDocs = bus.subscribe(busChannels.docs, (dealId) => {
    if (dealId !== undefined) void catchUp(dealId);
    else for (const live of deps.docs.liveDeals()) void catchUp(live);
  });
  const offAccess = bus.subscribe(busChannels.access, (dealId) => {
    if (dealId !== undefined) deps.docs.accessChanged(dealId);
    else for (const live of deps.docs.liveDeals()) deps.docs.accessChanged(live);
  });
  return () => {
    offDocs();
    offAccess();
  };
}
