import { z } from 'zod';
import {
  mergePatch,
  opportunityFieldsSchema,
  type OpportunityFields,
} from '../../shared/opportunities/opportunity-fields.ts';
import type { Deps } from '../deps.ts';
import { DomainError } from '../core/domain-error.ts';
import { parseInput } from '../core/parse-input.ts';
import type { Principal } from '../tenants/principal.ts';
import { requireDeal } from './deal-access.ts';
import { writeDeals, type DealWrite } from './deal-writer.ts';
import { rowToFields, type OpportunityRow } from './opportunity.mapper.ts';
import { findPair, type DuplicatePair } from './opportunity.repository.ts';
import { changedFields } from './opportunity.service.ts';

const dealId = z.string().min(1).max(100);

export const duplicatePairInput = z.strictObject({
  id: dealId.describe('a deal of the pair'),
  otherId: dealId.describe('the other deal, flagged as a possible duplicate of it'),
});
export const mergeDuplicateInput = z.strictObject({
  id: dealId.describe('the deal to keep'),
  duplicateId: dealId.describe(
    'its possible duplicate, to close as a duplicate of it (lost, reason no_opportunity)',
  ),
});

/** How a merge closes the duplicate: lost today, there being no opportunity of its own. */
export const mergedLostReason = 'no_opportunity';

/**
 * The flagged pair `id`–`otherId`, when the caller has accepted both deals. A deal the caller
 * takes no part in answers NotFound, whichever of the two it is, as any deal read does; one it
 * is only invited to answers Forbidden; two deals never flagged together, NotFound.
 */
async function requirePair(
  w: DealWrite,
  id: string,
  otherId: string,
  otherField: string,
): Promise<{ pair: DuplicatePair; deal: OpportunityRow; other: OpportunityRow }> {
  const { deal } = await requireDeal(w.trx, w.actor, { dealId: id, need: 'full' });
  if (id === otherId)
    throw new DomainError('ValidationFailed', 'name two different deals', [
      { path: otherField, message: 'another deal than this one' },
    ]);
  const { deal: other, me } = await requireDeal(w.trx, w.actor, {
    dealId: otherId,
    need: 'summary',
  });
  if (me.status !== 'accepted')
    throw new DomainError(
      'Forbidden',
      `accept the invitation to "${other.title}" first: you act on a pair only when you see both deals`,
    );
  const pair = await findPair(w.trx, id, otherId);
  if (!pair)
    throw new DomainError(
      'NotFound',
      'these two deals were never flagged as possible duplicates of each other',
    );
  return { pair, deal, other };
}

function refuseIfMerged(pair: DuplicatePair, deal: OpportunityRow, other: OpportunityRow): void {
  if (pair.resolution !== 'merged') return;
  const [kept, closed] = pair.keptId === deal.id ? [deal, other] : [other, deal];
  throw new DomainError(
    'InvalidState',
    `the two were merged already: "${closed.title}" was closed as a duplicate of "${kept.title}"`,
  );
}

/**
 * Closes `duplicateId` as a duplicate of `id`, which is kept. The duplicate is not deleted: it
 * is closed as lost (reason no_opportunity, today) unless already lost, keeps its history, and
 * every company in it keeps its access and sees it closed into the kept deal; a company in the
 * duplicate only is not added to the kept deal (its originator may invite it). Both deals record
 * `duplicate.merged`. A won duplicate is refused (link the two, or keep the won one). Merging
 * again the same way changes nothing; the other way round is refused. Raises NotFound,
 * Forbidden, InvalidState, ValidationFailed.
 */
export async function mergeDuplicate(
  deps: Deps<'db' | 'clock' | 'writes' | 'docs'>,
  actor: Principal,
  input: z.input<typeof mergeDuplicateInput>,
): Promise<void> {
  const { id, duplicateId } = parseInput(mergeDuplicateInput, input);
  await writeDeals(deps, actor, async (w) => {
    const { pair, deal, other } = await requirePair(w, id, duplicateId, 'duplicateId');
    if (pair.resolution === 'merged' && pair.keptId === id) return;
    refuseIfMerged(pair, deal, other);
    if (other.status === 'won')
      throw new DomainError(
        'InvalidState',
        `"${other.title}" is won, so it is not closed as a duplicate: keep it and merge the other into it, or link the two`,
      );
    if (other.status === 'open') {
      // Through the one write path as any close is, without the first-deal debrief a real close
      // would add: a duplicate is no deal of its own to debrief.
      const current = rowToFields(other);
      const closed: OpportunityFields = parseInput(
        opportunityFieldsSchema,
        mergePatch(current, {
          stage: 'lost',
          closeDate: w.now.slice(0, 10),
          lostReason: mergedLostReason,
        }),
      );
      await w.emit(duplicateId, {
        type: 'opportunity.updated',
        data: { changes: changedFields(current, closed) },
      });
    }
    const data = { keptId: id, duplicateId };
    await w.emit(id, { type: 'duplicate.merged', data });
    await w.emit(duplicateId, { type: 'duplicate.merged', data });
  });
}

/**
 * Marks the pair related: both stay open, each names the other as linked, and the pair is no
 * longer flagged. Linking again changes nothing; a merged pair is refused. Raises NotFound,
 * Forbidden, InvalidState, ValidationFailed.
 */
export function linkDuplicate(
  deps: Deps<'db' | 'clock' | 'writes' | 'docs'>,
  actor: Principal,
  input: z.input<typeof duplicatePairInput>,
): Promise<void> {
  return resolvePair(deps, actor, input, 'linked');
}

/**
 * Not duplicates: the pair is no longer flagged on either deal (a linked pair is unlinked), and
 * the matcher does not flag it again. Dismissing again changes nothing; a merged pair is refused.
 * Raises NotFound, Forbidden, InvalidState, ValidationFailed.
 */
export function dismissDuplicate(
  deps: Deps<'db' | 'clock' | 'writes' | 'docs'>,
  actor: Principal,
  input: z.input<typeof duplicatePairInput>,
): Promise<void> {
  return resolvePair(deps, actor, input, 'dismissed');
}

/** Records `resolution` on both deals of the pair, once; a merged pair is refused. */
async function resolvePair(
  deps: Deps<'db' | 'clock' | 'writes' | 'docs'>,
  actor: Principal,
  input: z.input<typeof duplicatePairInput>,
  resolution: 'linked' | 'dismissed',
): Promise<void> {
  const { id, otherId } = parseInput(duplicatePairInput, input);
  await writeDeals(deps, actor, async (w) => {
    const { pair, deal, other } = await requirePair(w, id, otherId, 'otherId');
    if (pair.resolution === resolution) return;
    refuseIfMerged(pair, deal, other);
    const type = `duplicate.${resolution}` as const;
    await w.emit(id, { type, data: { otherId } });
    await w.emit(otherId, { type, data: { otherId: id } });
  });
}
