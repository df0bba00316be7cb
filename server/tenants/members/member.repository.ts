import type { Selectable } from 'kysely';
import type { MembersTable } from '../../../schema/database.ts';
import type { Executor } from '../../store/db.ts';
import { DomainError } from '../../core/domain-error.ts';
import { isUniqueViolation } from '../../store/store-errors.ts';
import type { CompanyScope } from '../principal.ts';

export type MemberRow = Selectable<MembersTable>;

/** Raises AlreadyExists when the company already has a member with this email. */
export async function insertMember(db: Executor, row: MemberRow): Promise<void> {
  try {
    await db.insertInto('members').values(row).execute();
  } catch (error) {
    if (isUniqueViolation(error)) {
      throw new DomainError('AlreadyExists', `${row.email} is already a member`, [
        { path: 'email', message: 'already a member' },
      ]);
    }
    throw error;
  }
}

export async function findMember(
  db: Executor,
  scope: CompanyScope,
  id: string,
): Promise<MemberRow | undefined> {
  return db
    .selectFrom('members')
    .selectAll()
    .where('company_id', '=', scope.companyId)
    .where('id', '=', id)
    .executeTakeFirst();
}

export async function findMemberByEmail(
  db: Executor,
  scope: CompanyScope,
  email: string,
): Promise<MemberRow | undefined> {
  return db
    .selectFrom('members')
    .selectAll()
    .where('company_id', '=', scope.companyId)
    .where('email', '=', email)
    .executeTakeFirst();
}

export async function listMembers(db: Executor, scope: CompanyScope): Promise<MemberRow[]> {
  return db
    .selectFrom('members')
    .selectAll()
    .where('company_id', '=', scope.companyId)
    .orderBy('email')
    .execute();
}

export async function updateMember(
  db: Executor,
  scope: CompanyScope,
  patch: Pick<MemberRow, 'id'> & Partial<Pick<MemberRow, 'role' | 'disabled_at' | 'password_hash'>>,
): Promise<number> {
  const { id, ...changes } = patch;
  const result = await db
    .updateTable('members')
    .set(changes)
    .where('company_id', '=', scope.companyId)
    .where('id', '=', id)
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}
