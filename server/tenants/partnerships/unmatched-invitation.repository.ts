import type { Selectable } from 'kysely';
import type { UnmatchedInvitationsTable } from '../../../schema/database.ts';
import type { Executor } from '../../store/db.ts';
import type { CompanyScope } from '../principal.ts';

export type UnmatchedRow = Selectable<UnmatchedInvitationsTable>;

/** The company's open invitation to this name (any case), if it has one. */
export async function openUnmatched(
  db: Executor,
  scope: CompanyScope,
  invitedAs: string,
): Promise<UnmatchedRow | undefined> {
  return db
    .selectFrom('unmatched_invitations')
    .selectAll()
    .where('inviter_id', '=', scope.companyId)
    .where('status', '=', 'invited')
    .where((eb) => eb(eb.fn('lower', ['invited_as']), '=', invitedAs.toLowerCase()))
    .executeTakeFirst();
}

export async function insertUnmatched(db: Executor, row: UnmatchedRow): Promise<void> {
  await db.insertInto('unmatched_invitations').values(row).execute();
}

/** One of the company's own unmatched invitations; only its sender ever sees one. */
export async function findUnmatched(
  db: Executor,
  scope: CompanyScope,
  id: string,
): Promise<UnmatchedRow | undefined> {
  return db
    .selectFrom('unmatched_invitations')
    .selectAll()
    .where('id', '=', id)
    .where('inviter_id', '=', scope.companyId)
    .executeTakeFirst();
}

export async function listUnmatched(db: Executor, scope: CompanyScope): Promise<UnmatchedRow[]> {
  return db
    .selectFrom('unmatched_invitations')
    .selectAll()
    .where('inviter_id', '=', scope.companyId)
    .execute();
}

export async function endUnmatched(
  db: Executor,
  scope: CompanyScope,
  input: { id: string; at: string },
): Promise<void> {
  await db
    .updateTable('unmatched_invitations')
    .set({ status: 'ended', ended_at: input.at })
    .where('id', '=', input.id)
    .where('inviter_id', '=', scope.companyId)
    .execute();
}
