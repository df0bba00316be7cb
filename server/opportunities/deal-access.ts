import { DomainError, notFound } from '../core/domain-error.ts';
import type { Executor } from '../store/db.ts';
import type { CompanyScope } from '../tenants/principal.ts';
import { findDealFor, type ParticipantRow } from './opportunity.repository.ts';
import type { OpportunityRow } from './opportunity.mapper.ts';

/**
 * The gate of every deal read and write. Non-participants (and companies that declined or were
 * removed) get NotFound, so they learn nothing; an invited company may see the summary, and must
 * accept before it may change anything (Forbidden).
 */
export async function requireDeal(
  db: Executor,
  scope: CompanyScope,
  input: { dealId: string; need: 'summary' | 'full' },
): Promise<{ deal: OpportunityRow; me: ParticipantRow }> {
  const found = await findDealFor(db, scope, input.dealId);
  if (!found) throw notFound('opportunity');
  if (input.need === 'full' && found.me.status !== 'accepted') {
    throw new DomainError('Forbidden', 'accept the invitation to this opportunity first');
  }
  return found;
}
