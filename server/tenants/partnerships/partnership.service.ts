import { inTransaction } from '../../core/db.ts';
import { z } from 'zod';
import {
  partnerTypes,
  type PartnerType,
  type PartnershipStatus,
} from '../../../shared/tenancy/tenancy.ts';
import type { Deps } from '../../app-deps.ts';
import { DomainError, notFound } from '../../core/domain-error.ts';
import { newId } from '../../core/ids.ts';
import { parseInput } from '../../core/parse-input.ts';
import { findCompany } from '../companies/company.repository.ts';
import type { Principal } from '../principal.ts';
import {
  findPartnership,
  insertPartnership,
  listPartnerships,
  updatePartnership,
  type PartnershipRow,
  type PartnershipWithNames,
} from './partnership.repository.ts';

export const inviteInput = z.strictObject({
  partner: z.string().min(1).max(100).describe('the id or slug of the company to invite'),
  partnerType: z.enum(partnerTypes),
  tier: z.string().trim().min(1).max(50).default('registered'),
});
export const partnershipIdInput = z.strictObject({ partnershipId: z.string().min(1) });

/** One partnership as either side sees it: the same record, with `partner` the other company. */
export interface Partnership {
  id: string;
  direction: 'sent' | 'received';
  partner: { id: string; slug: string; name: string };
  /** What the invited company is to the inviter. */
  partnerType: PartnerType;
  tier: string;
  status: PartnershipStatus;
  invitedBy: string;
  createdAt: string;
  respondedAt: string | null;
  endedAt: string | null;
  endedBy: string | null;
}

function toPartnership(row: PartnershipWithNames, companyId: string): Partnership {
  const sent = row.inviter_id === companyId;
  return {
    id: row.id,
    direction: sent ? 'sent' : 'received',
    partner: sent
      ? { id: row.invitee_id, slug: row.invitee_slug, name: row.invitee_name }
      : { id: row.inviter_id, slug: row.inviter_slug, name: row.inviter_name },
    partnerType: row.partner_type,
    tier: row.tier,
    status: row.status,
    invitedBy: row.inviter_id,
    createdAt: row.created_at,
    respondedAt: row.responded_at,
    endedAt: row.ended_at,
    endedBy: row.ended_by,
  };
}

async function load(deps: Deps<'db'>, actor: Principal, id: string): Promise<PartnershipWithNames> {
  const row = await findPartnership(deps.db, actor, id);
  if (!row) throw notFound('partnership');
  return row;
}

/** Invites another company to partner. Raises NotFound (no such company), ValidationFailed, AlreadyExists. */
export async function invitePartner(
  deps: Deps<'db' | 'clock'>,
  actor: Principal,
  input: z.input<typeof inviteInput>,
): Promise<Partnership> {
  const { partner, partnerType, tier } = parseInput(inviteInput, input);
  const invitee = await findCompany(deps.db, partner);
  if (!invitee) throw notFound('company');
  if (invitee.id === actor.companyId) {
    throw new DomainError('ValidationFailed', 'a company cannot partner with itself', [
      { path: 'partner', message: 'is your own company' },
    ]);
  }
  const row: PartnershipRow = {
    id: newId('ptn'),
    inviter_id: actor.companyId,
    invitee_id: invitee.id,
    partner_type: partnerType,
    tier,
    status: 'invited',
    created_at: deps.clock.now().toISOString(),
    responded_at: null,
    ended_at: null,
    ended_by: null,
  };
  await insertPartnership(deps.db, row);
  return toPartnership(await load(deps, actor, row.id), actor.companyId);
}

/** The invited company answers. Raises NotFound, Forbidden (the inviter cannot answer), InvalidState. */
async function respond(
  deps: Deps<'db' | 'clock'>,
  actor: Principal,
  input: { partnershipId: string; status: 'active' | 'declined' },
): Promise<Partnership> {
  return inTransaction(deps.db, async (db) => {
    const row = await load({ db }, actor, input.partnershipId);
    if (row.invitee_id !== actor.companyId)
      throw new DomainError('Forbidden', 'only the invited company can answer an invitation');
    if (row.status !== 'invited')
      throw new DomainError(
        'InvalidState',
        `the partnership is ${row.status}, not awaiting an answer`,
      );
    await updatePartnership(db, actor, {
      id: row.id,
      status: input.status,
      responded_at: deps.clock.now().toISOString(),
    });
    return toPartnership(await load({ db }, actor, row.id), actor.companyId);
  });
}

export function acceptPartnership(
  deps: Deps<'db' | 'clock'>,
  actor: Principal,
  input: z.input<typeof partnershipIdInput>,
): Promise<Partnership> {
  return respond(deps, actor, { ...parseInput(partnershipIdInput, input), status: 'active' });
}

export function declinePartnership(
  deps: Deps<'db' | 'clock'>,
  actor: Principal,
  input: z.input<typeof partnershipIdInput>,
): Promise<Partnership> {
  return respond(deps, actor, { ...parseInput(partnershipIdInput, input), status: 'declined' });
}

/** Either side ends an active partnership, or the inviter withdraws an invitation. Raises NotFound, InvalidState. */
export async function endPartnership(
  deps: Deps<'db' | 'clock'>,
  actor: Principal,
  input: z.input<typeof partnershipIdInput>,
): Promise<Partnership> {
  const { partnershipId } = parseInput(partnershipIdInput, input);
  return inTransaction(deps.db, async (db) => {
    const row = await load({ db }, actor, partnershipId);
    if (row.status !== 'active' && row.status !== 'invited')
      throw new DomainError('InvalidState', `the partnership is already ${row.status}`);
    if (row.status === 'invited' && row.inviter_id !== actor.companyId) {
      throw new DomainError(
        'Forbidden',
        'only the inviter can withdraw an invitation; decline it instead',
      );
    }
    await updatePartnership(db, actor, {
      id: row.id,
      status: 'ended',
      ended_at: deps.clock.now().toISOString(),
      ended_by: actor.companyId,
    });
    return toPartnership(await load({ db }, actor, row.id), actor.companyId);
  });
}

export async function getPartnership(
  deps: Deps<'db'>,
  actor: Principal,
  input: z.input<typeof partnershipIdInput>,
): Promise<Partnership> {
  const { partnershipId } = parseInput(partnershipIdInput, input);
  return toPartnership(await load(deps, actor, partnershipId), actor.companyId);
}

export async function listCompanyPartnerships(
  deps: Deps<'db'>,
  actor: Principal,
): Promise<Partnership[]> {
  return (await listPartnerships(deps.db, actor)).map((r) => toPartnership(r, actor.companyId));
}
