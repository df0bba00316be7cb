import type { Selectable } from 'kysely';
import type { PartnershipsTable } from '../../../schema/database.ts';
import type { Executor } from '../../store/db.ts';
import { DomainError } from '../../core/domain-error.ts';
import { isUniqueViolation } from '../../store/store-errors.ts';
import type { CompanyScope } from '../principal.ts';

export type PartnershipRow = Selectable<PartnershipsTable>;
export type PartnershipWithNames = PartnershipRow & {
  inviter_slug: string;
  inviter_name: string;
  invitee_slug: string;
  invitee_name: string;
};

/** Raises AlreadyExists when the two companies already have a live (invited or active) partnership. */
export async function insertPartnership(db: Executor, row: PartnershipRow): Promise<void> {
  try {
    await db.insertInto('partnerships').values(row).execute();
  } catch (error) {
    if (isUniqueViolation(error))
      throw new DomainError(
        'AlreadyExists',
        'these companies already have an open or active partnership',
      );
    throw error;
  }
}

function withNames(db: Executor) {
  return db
    .selectFrom('partnerships as p')
    .innerJoin('companies as a', 'a.id', 'p.inviter_id')
    .innerJoin('companies as b', 'b.id', 'p.invitee_id')
    .selectAll('p')
    .select([
      'a.slug as inviter_slug',
      'a.name as inviter_name',
      'b.slug as invitee_slug',
      'b.name as invitee_name',
    ]);
}

/** A partnership the company is one side of; any other is not found. */
export async function findPartnership(
  db: Executor,
  scope: CompanyScope,
  id: string,
): Promise<PartnershipWithNames | undefined> {
  return withNames(db)
    .where('p.id', '=', id)
    .where((eb) =>
      eb.or([eb('p.inviter_id', '=', scope.companyId), eb('p.invitee_id', '=', scope.companyId)]),
    )
    .executeTakeFirst();
}

export async function listPartnerships(
  db: Executor,
  scope: CompanyScope,
): Promise<PartnershipWithNames[]> {
  return withNames(db)
    .where((eb) =>
      eb.or([eb('p.inviter_id', '=', scope.companyId), eb('p.invitee_id', '=', scope.companyId)]),
    )
    .orderBy('p.created_at', 'desc')
    .execute();
}

export async function updatePartnership(
  db: Executor,
  scope: CompanyScope,
  patch: Pick<PartnershipRow, 'id'> &
    Partial<Pick<PartnershipRow, 'status' | 'responded_at' | 'ended_at' | 'ended_by'>>,
): Promise<void> {
  const { id, ...changes } = patch;
  await db
    .updateTable('partnerships')
    .set(changes)
    .where('id', '=', id)
    .where((eb) =>
      eb.or([eb('inviter_id', '=', scope.companyId), eb('invitee_id', '=', scope.companyId)]),
    )
    .execute();
}

/** True while the two companies are active partners: the gate for sharing anything between them. */
export async function arePartners(
  db: Executor,
  scope: CompanyScope,
  otherCompanyId: string,
): Promise<boolean> {
  const row = await db
    .selectFrom('partnerships')
    .select('id')
    .where('status', '=', 'active')
    .where((eb) =>
      eb.or([
        eb.and([eb('inviter_id', '=', scope.companyId), eb('invitee_id', '=', otherCompanyId)]),
        eb.and([eb('invitee_id', '=', scope.companyId), eb('inviter_id', '=', otherCompanyId)]),
      ]),
    )
    .executeTakeFirst();
  return row !== undefined;
}
