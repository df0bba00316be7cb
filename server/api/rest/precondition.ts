import type { Executor } from '../../store/sqlite/db.ts';
import { DomainError } from '../../core/domain-error.ts';
import { requireDeal } from '../../opportunities/deal-access.ts';
import { dealViews } from '../../opportunities/deal.view.ts';
import { dealIdByRef } from '../../opportunities/opportunity.repository.ts';
import type { Principal } from '../../tenants/principal.ts';

/** A deal's strong entity tag: its version, quoted. */
export function etagOf(version: number): string {
  return `"${version}"`;
}

/** The version an `If-Match` header names; undefined when absent. Raises ValidationFailed. */
export function ifMatchVersion(header: string | undefined): number | undefined {
  if (header === undefined) return undefined;
  const found = /^\s*"(\d{1,15})"\s*$/.exec(header);
  if (!found) {
    throw new DomainError('ValidationFailed', 'If-Match must be one strong ETag, e.g. "3"', [
      { path: 'If-Match', message: 'one quoted version number, as the ETag header gave it' },
    ]);
  }
  return Number(found[1]);
}

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
