import type { Executor } from '../store/db.ts';
import { DomainError } from '../core/domain-error.ts';
import type { Principal } from '../tenants/principal.ts';
import { requireDeal } from './deal-access.ts';
import { dealViews } from './deal.view.ts';
import { dealIdByRef } from './opportunity.repository.ts';

/**
 * Refuses the write (412, with the deal as the caller sees it now in `details`) unless the deal is
 * still at `version`. Run inside the write's transaction, so nothing can change it in between.
 * Raises NotFound (not the caller's deal) and PreconditionFailed.
 */
export async function requireVersion(
  db: Executor,
  actor: Principal,
  deal: { id: string } | { externalRef: string },
  version: number,
): Promise<void> {
  const id = 'id' in deal ? deal.id : await dealIdByRef(db, actor, deal.externalRef);
  if (id === undefined) {
    throw new DomainError(
      'PreconditionFailed',
      `you have no opportunity with this externalRef, so it is not at version ${version}`,
    );
  }
  const { deal: row } = await requireDeal(db, actor, { dealId: id, need: 'summary' });
  if (row.version === version) return;
  const [current] = await dealViews(db, actor, [row]);
  throw new DomainError(
    'PreconditionFailed',
    `the opportunity changed since version ${version}; it is now at ${row.version}`,
    undefined,
    current,
  );
}
