import type { Executor } from '../store/db.ts';
import type { LedgerEvent } from './ledger-event.ts';

/** Applies one ledger event to the tables a domain reads, in the caller's transaction. */
export type Projector = (db: Executor, event: LedgerEvent) => Promise<void>;

// One registry per process, filled by the composition root (openDeps) before the first write.
// Not an object in deps: writeDeals is reached through `Deps<'db' | 'clock' | 'writes' | 'docs'>`
// slices from four domains and sync, and threading a fifth slice through all of them would be a
// wide change for one lookup. Registration is idempotent and refuses a second projector for a
// claim, so registering again (every openDeps does) is harmless and a clash fails at start-up.
const exact = new Map<string, Projector>();
const prefixes = new Map<string, Projector>();

/**
 * Claims an event type (`opportunity.created`), or every type under a prefix when `claim` ends
 * with a dot (`attribution.`), for `projector`. Raises when another projector holds the claim.
 */
export function registerProjector(claim: string, projector: Projector): void {
  const into = claim.endsWith('.') ? prefixes : exact;
  const held = into.get(claim);
  if (held && held !== projector)
    throw new Error(`ledger event type ${claim} already has a projector`);
  into.set(claim, projector);
}

function projectorOf(type: string): Projector | undefined {
  const own = exact.get(type);
  if (own) return own;
  for (const [prefix, projector] of prefixes) if (type.startsWith(prefix)) return projector;
  return undefined;
}

/**
 * Applies `event` through the projector that claims its type: live, in the transaction that
 * appended it, and in a rebuild from the ledger. Raises for a type no projector claims: a table
 * silently left behind its ledger would only show up as a wrong answer much later.
 */
export async function project(db: Executor, event: LedgerEvent): Promise<void> {
  const projector = projectorOf(event.type);
  if (!projector) throw new Error(`no projector claims ledger event type ${event.type}`);
  await projector(db, event);
}
