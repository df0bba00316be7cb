import * as Y from 'yjs';
import { docRoots } from '../../shared/sync/deal-doc.ts';
import { serverClientId } from './doc-store.ts';
import { UpdateDenied } from './hooks.ts';

const layoutRoots = new Set<string>(Object.values(docRoots));

/**
 * Checks a client's update before any hook sees it: it must decode, must not write under the
 * server's client id, and must write only into the layout's root types (anything else would be
 * stored and relayed without any check). Raises UpdateDenied.
 */
export function checkUpdateBytes(update: Uint8Array): void {
  let decoded: ReturnType<typeof Y.decodeUpdate>;
  try {
    decoded = Y.decodeUpdate(update);
  } catch {
    throw new UpdateDenied('the update is not a Yjs update');
  }
  if (decoded.structs.some((s) => s.id.client === serverClientId)) {
    throw new UpdateDenied(`client id ${serverClientId} is the server's`);
  }
  // An item names its root type by name only when it starts one; the rest hang off other items.
  const foreign = decoded.structs.find(
    (s) => s instanceof Y.Item && typeof s.parent === 'string' && !layoutRoots.has(s.parent),
  ) as Y.Item | undefined;
  if (foreign) {
    throw new UpdateDenied(`update refused: ${String(foreign.parent)}: not part of the deal room`);
  }
}

/** An update with no structs and no deletions: what a client sends when it has nothing new. */
export function isEmptyUpdate(update: Uint8Array): boolean {
  return update.byteLength === 2 && update[0] === 0 && update[1] === 0;
}
