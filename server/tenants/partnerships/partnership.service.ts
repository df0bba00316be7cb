import { z } from 'zod';
import {
  partnerTypes,
  type PartnerType,
  type PartnershipStatus,
} from '../../../shared/tenancy/tenancy.ts';
import type { Deps } from '../../deps.ts';
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
import {
  endUnmatched,
  findUnmatched,
  insertUnmatched,
  listUnmatched,
  openUnmatched,
  type UnmatchedRow,
} from './unmatched-invitation.repository.ts';

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
  /**
   * The other company. On an invitation the caller sent and that is not yet accepted, only the
   * name the caller gave (`slug`): whether a company holds it is not told until it accepts.
   */
  partner: { id: string | null; slug: string; name: string | null };
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
  // Accepted once: active, or ended after it was active.
  const accepted = row.responded_at !== null && row.status !== 'declined';
  return {
    id: row.id,
    direction: sent ? 'sent' : 'received',
    partner: !sent
      ? { id: row.inviter_id, slug: row.inviter_slug, name: row.inviter_name }
      : !accepted
        ? { id: null, slug: row.invited_as ?? row.invitee_slug, name: null }
        : { id: row.invitee_id, slug: row.invitee_slug, name: row.invitee_name },
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

/** An invitation to a name no company holds, exactly as a sent, unanswered one looks. */
function unmatchedView(row: UnmatchedRow): Partnership {
  return {
    id: row.id,
    direction: 'sent',
    partner: { id: null, slug: row.invited_as, name: null },
    partnerType: row.partner_type,
    tier: row.tier,
    status: row.status,
    invitedBy: row.inviter_id,
    createdAt: row.created_at,
    respondedAt: null,
    endedAt: row.ended_at,
    endedBy: row.ended_at ? row.inviter_id : null,
  };
}

const alreadyPartners = () =>
  new DomainError('AlreadyExists', 'these companies already have an open or active partnership');

async function load(deps: Deps<'db'>, actor: Principal, id: string): Promise<PartnershipWithNames> {
  const row = await findPartnership(deps.db, actor, id);
  if (!row) throw notFound('partnership');
  return row;
}

/**
 * Invites another company, named by slug or id, to partner. The answer is the same whether or not
 * a company holds that name (no tenant can list the others this way): an invitation to no one is
 * kept and shown like any other until withdrawn. Raises ValidationFailed, AlreadyExists.
 */
export async function invitePartner(
  deps: Deps<'db' | 'clock'>,
  actor: Principal,
  input: z.input<typeof inviteInput>,
): Promise<Partnership> {
  const { partner, partnerType, tier } = parseInput(inviteInput, input);
  const invitee = await findCompany(deps.db, partner);
  if (!invitee) {
    if (await openUnmatched(deps.db, actor, partner)) throw alreadyPartners();
    const row: UnmatchedRow = {
      id: newId('ptn'),
      inviter_id: actor.companyId,
      invited_as: partner,
      partner_type: partnerType,
      tier,
      status: 'invited',
      created_at: deps.clock.now().toISOString(),
      ended_at: null,
    };
    await insertUnmatched(deps.db, row);
    return unmatchedView(row);
  }
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
    invited_as: partner,
  };
  await insertPartnership(deps.db, row);
  return toPartnership(await load(deps, actor, row.id), actor.companyId);
}

/** The invited company answers. Raises NotFound, Forbidden (the inviter cannot answer), InvalidState. */
async function respond(
  deps: Deps<'db' | 'clock' | 'writes'>,
  actor: Principal,
  input: { partnershipId: string; status: 'active' | 'declined' },
): Promise<Partnership> {
  // The sender of an invitation to no one hears what the sender of a real one hears.
  if (await findUnmatched(deps.db, actor, input.partnershipId))
    throw new DomainError('Forbidden', 'only the invited company can answer an invitation');
  return deps.writes.run(async (db) => {
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
  deps: Deps<'db' | 'clock' | 'writes'>,
  actor: Principal,
  input: z.input<typeof partnershipIdInput>,
): Promise<Partnership> {
  return respond(deps, actor, { ...parseInput(partnershipIdInput, input), status: 'active' });
}

export function declinePartnership(
  deps: Deps<'db' | 'clock' | 'writes'>,
  actor: Principal,
  input: z.input<typeof partnershipIdInput>,
): Promise<Partnership> {
  return respond(deps, actor, { ...parseInput(partnershipIdInput, input), status: 'declined' });
}

/** Either side ends an active partnership, or the inviter withdraws an invitation. Raises NotFound, InvalidState. */
export async function endPartnership(
  deps: Deps<'db' | 'clock' | 'writes'>,
  actor: Principal,
  input: z.input<typeof partnershipIdInput>,
): Promise<Partnership> {
  const { partnershipId } = parseInput(partnershipIdInput, input);
  const unmatched = await findUnmatched(deps.db, actor, partnershipId);
  if (unmatched) {
    if (unmatched.status !== 'invited')
      throw new DomainError('InvalidState', `the partnership is already ${unmatched.status}`);
    const at = deps.clock.now().toISOString();
    await endUnmatched(deps.db, actor, { id: partnershipId, at });
    return unmatchedView({ ...unmatched, status: 'ended', ended_at: at });
  }
  return deps.writes.run(async (db) => {
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
  const unmatched = await findUnmatched(deps.db, actor, partnershipId);
  if (unmatched) return unmatchedView(unmatched);
  return toPartnership(await load(deps, actor, partnershipId), actor.companyId);
}

export async function listCompanyPartnerships(
  deps: Deps<'db'>,
  actor: Principal,
): Promise<Partnership[]> {
  const [real, unmatched] = await Promise.all([
    listPartnerships(deps.db, actor),
    listUnmatched(deps.db, actor),
  ]);
  return [
    ...real.map((r) => toPartnership(r, actor.companyId)),
    ...unmatched.map(unmatchedView),
  ].sort((x, y) => y.createdAt.localeCompare(x.createdAt));
}
