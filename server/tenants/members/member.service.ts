import { z } from 'zod';
import { memberRoles, type MemberRole } from '../../../shared/tenancy/tenancy.ts';
import type { Deps } from '../../deps.ts';
import { DomainError, notFound } from '../../core/domain-error.ts';
import { newId } from '../../core/ids.ts';
import { parseInput } from '../../core/parse-input.ts';
import type { CompanyScope } from '../principal.ts';
import { hashSecret } from '../secret-hash.ts';
import {
  findMember,
  insertMember,
  listMembers,
  updateMember,
  type MemberRow,
} from './member.repository.ts';

export const addMemberInput = z.strictObject({
  email: z.email().transform((e) => e.toLowerCase()),
  name: z.string().trim().min(1).max(200),
  role: z.enum(memberRoles),
  password: z.string().min(12, 'at least 12 characters').max(200).optional(),
});

export const setRoleInput = z.strictObject({
  memberId: z.string().min(1),
  role: z.enum(memberRoles),
});
export const memberIdInput = z.strictObject({ memberId: z.string().min(1) });
export const setPasswordInput = z.strictObject({
  memberId: z.string().min(1),
  password: z.string().min(12, 'at least 12 characters').max(200),
});

export interface Member {
  id: string;
  email: string;
  name: string;
  role: MemberRole;
  createdAt: string;
  disabled: boolean;
}

function toMember(row: MemberRow): Member {
  return {
    id: row.id,
    email: row.email,
    name: row.name,
    role: row.role,
    createdAt: row.created_at,
    disabled: row.disabled_at !== null,
  };
}

/** Adds a member to the caller's company. Raises ValidationFailed, AlreadyExists. */
export async function addMember(
  deps: Deps<'db' | 'clock'>,
  scope: CompanyScope,
  input: z.input<typeof addMemberInput>,
): Promise<Member> {
  const { email, name, role, password } = parseInput(addMemberInput, input);
  const row: MemberRow = {
    id: newId('mem'),
    company_id: scope.companyId,
    email,
    name,
    role,
    password_hash: password ? await hashSecret(password) : null,
    created_at: deps.clock.now().toISOString(),
    disabled_at: null,
  };
  await insertMember(deps.db, row);
  return toMember(row);
}

export async function listCompanyMembers(deps: Deps<'db'>, scope: CompanyScope): Promise<Member[]> {
  return (await listMembers(deps.db, scope)).map(toMember);
}

/** A company must keep one enabled admin, or nobody could manage it again. */
async function assertAnotherAdmin(
  deps: Deps<'db'>,
  scope: CompanyScope,
  memberId: string,
): Promise<void> {
  const others = (await listMembers(deps.db, scope)).filter(
    (m) => m.role === 'admin' && m.disabled_at === null && m.id !== memberId,
  );
  if (others.length === 0)
    throw new DomainError(
      'InvalidState',
      'this is the last admin of the company; make another member admin first',
    );
}

/** Changes a member's role; takes effect on the member's next request. Raises NotFound, InvalidState. */
export async function setMemberRole(
  deps: Deps<'db' | 'tokenCache' | 'writes'>,
  scope: CompanyScope,
  input: z.input<typeof setRoleInput>,
): Promise<Member> {
  const { memberId, role } = parseInput(setRoleInput, input);
  const member = await deps.writes.run(async (db) => {
    const row = await findMember(db, scope, memberId);
    if (!row) throw notFound('member');
    if (row.role === 'admin' && role !== 'admin') await assertAnotherAdmin({ db }, scope, memberId);
    await updateMember(db, scope, { id: memberId, role });
    return toMember({ ...row, role });
  });
  deps.tokenCache.invalidate();
  return member;
}

/** Disables a member; its tokens stop working at once. Raises NotFound, InvalidState. */
export async function disableMember(
  deps: Deps<'db' | 'clock' | 'tokenCache' | 'writes'>,
  scope: CompanyScope,
  input: z.input<typeof memberIdInput>,
): Promise<Member> {
  const { memberId } = parseInput(memberIdInput, input);
  const member = await deps.writes.run(async (db) => {
    const row = await findMember(db, scope, memberId);
    if (!row) throw notFound('member');
    if (row.role === 'admin') await assertAnotherAdmin({ db }, scope, memberId);
    const disabledAt = row.disabled_at ?? deps.clock.now().toISOString();
    await updateMember(db, scope, { id: memberId, disabled_at: disabledAt });
    return toMember({ ...row, disabled_at: disabledAt });
  });
  deps.tokenCache.invalidate();
  return member;
}

/**
 * Sets (or replaces) a member's web sign-in password, stored as a salted scrypt hash. Tokens
 * already issued stay valid until they expire. Raises NotFound, ValidationFailed.
 */
export async function setMemberPassword(
  deps: Deps<'db'>,
  scope: CompanyScope,
  input: z.input<typeof setPasswordInput>,
): Promise<Member> {
  const { memberId, password } = parseInput(setPasswordInput, input);
  const row = await findMember(deps.db, scope, memberId);
  if (!row) throw notFound('member');
  const hash = await hashSecret(password);
  if ((await updateMember(deps.db, scope, { id: memberId, password_hash: hash })) === 0)
    throw notFound('member');
  return toMember(row);
}
