import { z } from 'zod';
import { declineReasons, participantRoles } from '../../shared/opportunities/opportunity-fields.ts';
import type { Deps } from '../deps.ts';
import { DomainError, notFound } from '../core/domain-error.ts';
import { parseInput } from '../core/parse-input.ts';
import { findCompany } from '../tenants/companies/company.repository.ts';
import { arePartners } from '../tenants/partnerships/partnership.repository.ts';
import type { Principal } from '../tenants/principal.ts';
import { requireDeal } from './deal-access.ts';
import { writeDeals, type DealWrite } from './deal-writer.ts';
import {
  flaggedFirstDeals,
  haveSharedBefore,
  participationStatus,
} from './opportunity.repository.ts';

export const shareTargetSchema = z.strictObject({
  partner: z.string().min(1).max(100).describe('the partner company, by id or slug'),
  role: z.enum(participantRoles).exclude(['originator']).default('co_seller'),
});
export const shareInput = z.strictObject({
  id: z.string().min(1),
  partner: shareTargetSchema.shape.partner,
  role: shareTargetSchema.shape.role,
});
export const dealIdInput = z.strictObject({ id: z.string().min(1) });
export const declineInput = z.strictObject({
  id: z.string().min(1),
  reason: z.enum(declineReasons),
  note: z.string().trim().max(1000).optional(),
});
export const removeParticipantInput = z.strictObject({
  id: z.string().min(1),
  companyId: z.string().min(1),
});
export const sponsorInput = z.strictObject({
  id: z.string().min(1),
  sponsor: z.string().trim().min(1).max(200),
});

/**
 * Invites a partner into a deal the caller originated. Only an active partner can be invited;
 * the first deal two partners share (by the deals' own dates) is flagged. Raises NotFound, Forbidden, InvalidState.
 */
export async function shareInTx(
  w: DealWrite,
  dealId: string,
  target: z.output<typeof shareTargetSchema>,
): Promise<void> {
  const { deal, me } = await requireDeal(w.trx, w.actor, { dealId, need: 'full' });
  if (me.role !== 'originator')
    throw new DomainError(
      'Forbidden',
      'only the company that created the opportunity can share it',
    );
  const partner = await findCompany(w.trx, target.partner);
  if (!partner || !(await arePartners(w.trx, w.actor, partner.id))) {
    throw new DomainError(
      'InvalidState',
      `"${target.partner}" is not an active partner of yours; invite it as a partner first`,
      [{ path: 'partner', message: 'not an active partner' }],
    );
  }
  const existing = await participationStatus(w.trx, { dealId, companyId: partner.id });
  if (existing === 'invited' || existing === 'accepted') return;
  // First by the deals' own dates: a CRM history pushed newest first moves the mark to the
  // older deal as each arrives, so it ends on the one that truly began first.
  const pair = { a: deal.originator_id, b: partner.id, excludeId: dealId };
  const firstDeal = !(await haveSharedBefore(w.trx, {
    ...pair,
    began: deal.business_created_at ?? deal.created_at,
  }));
  if (firstDeal)
    for (const other of await flaggedFirstDeals(w.trx, pair))
      await w.emit(other, {
        type: 'participant.first_deal_unset',
        data: { companyId: partner.id },
      });
  await w.emit(dealId, {
    type: 'participant.invited',
    data: { companyId: partner.id, role: target.role, firstDeal },
  });
}

export async function shareDeal(
  deps: Deps<'db' | 'clock' | 'writes' | 'docs'>,
  actor: Principal,
  input: z.input<typeof shareInput>,
): Promise<void> {
  const { id, partner, role } = parseInput(shareInput, input);
  await writeDeals(deps, actor, (w) => shareInTx(w, id, { partner, role }));
}

/** The invited company accepts and sees the whole deal from now on. Raises NotFound, InvalidState. */
export async function acceptInvitation(
  deps: Deps<'db' | 'clock' | 'writes' | 'docs'>,
  actor: Principal,
  input: z.input<typeof dealIdInput>,
): Promise<void> {
  const { id } = parseInput(dealIdInput, input);
  await writeDeals(deps, actor, async (w) => {
    const { me } = await requireDeal(w.trx, actor, { dealId: id, need: 'summary' });
    if (me.status !== 'invited')
      throw new DomainError('InvalidState', 'there is no open invitation to accept');
    await w.emit(id, { type: 'participant.accepted', data: { companyId: actor.companyId } });
  });
}

/** The invited company declines with a reason, and loses access at once. Raises NotFound, InvalidState. */
export async function declineInvitation(
  deps: Deps<'db' | 'clock' | 'writes' | 'docs'>,
  actor: Principal,
  input: z.input<typeof declineInput>,
): Promise<void> {
  const { id, reason, note } = parseInput(declineInput, input);
  await writeDeals(deps, actor, async (w) => {
    const { me } = await requireDeal(w.trx, actor, { dealId: id, need: 'summary' });
    if (me.status !== 'invited')
      throw new DomainError('InvalidState', 'there is no open invitation to decline');
    await w.emit(id, {
      type: 'participant.declined',
      data: { companyId: actor.companyId, reason, note: note ?? null },
    });
  });
}

/**
 * The originator removes a participant, or a participant leaves; the removed company loses access
 * at once. The originator cannot leave its own deal. Raises NotFound, Forbidden.
 */
export async function removeParticipant(
  deps: Deps<'db' | 'clock' | 'writes' | 'docs'>,
  actor: Principal,
  input: z.input<typeof removeParticipantInput>,
): Promise<void> {
  const { id, companyId } = parseInput(removeParticipantInput, input);
  await writeDeals(deps, actor, async (w) => {
    const { deal, me } = await requireDeal(w.trx, actor, { dealId: id, need: 'summary' });
    const self = companyId === actor.companyId;
    if (!self && me.role !== 'originator')
      throw new DomainError('Forbidden', 'only the originator can remove another participant');
    if (companyId === deal.originator_id)
      throw new DomainError(
        'InvalidState',
        'the originator cannot be removed from its own opportunity',
      );
    const target = await participationStatus(w.trx, { dealId: id, companyId });
    if (target !== 'invited' && target !== 'accepted') throw notFound('participant');
    await w.emit(id, { type: 'participant.removed', data: { companyId } });
  });
}

/** Names the caller's executive sponsor on a deal (asked for on a first deal). Raises NotFound, Forbidden. */
export async function setSponsor(
  deps: Deps<'db' | 'clock' | 'writes' | 'docs'>,
  actor: Principal,
  input: z.input<typeof sponsorInput>,
): Promise<void> {
  const { id, sponsor } = parseInput(sponsorInput, input);
  await writeDeals(deps, actor, async (w) => {
    await requireDeal(w.trx, actor, { dealId: id, need: 'full' });
    await w.emit(id, {
      type: 'participant.sponsor_set',
      data: { companyId: actor.companyId, sponsor },
    });
  });
}
