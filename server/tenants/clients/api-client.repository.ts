import type { Selectable } from 'kysely';
import type { ApiClientsTable } from '../../../schema/database.ts';
import type { Executor } from '../../store/db.ts';
import type { CompanyScope } from '../principal.ts';

export type ApiClientRow = Selectable<ApiClientsTable>;

export async function insertClient(db: Executor, row: ApiClientRow): Promise<void> {
  await db.insertInto('api_clients').values(row).execute();
}

export async function findClient(
  db: Executor,
  scope: CompanyScope,
  id: string,
): Promise<ApiClientRow | undefined> {
  return db
    .selectFrom('api_clients')
    .selectAll()
    .where('company_id', '=', scope.companyId)
    .where('id', '=', id)
    .executeTakeFirst();
}

/**
 * The credential exchange is the one lookup without a company: the client id is the credential's
 * public half and names its company. The secret is checked before anything is returned.
 */
export async function findClientForCredentials(
  db: Executor,
  id: string,
): Promise<ApiClientRow | undefined> {
  return db.selectFrom('api_clients').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function listClients(db: Executor, scope: CompanyScope): Promise<ApiClientRow[]> {
  return db
    .selectFrom('api_clients')
    .selectAll()
    .where('company_id', '=', scope.companyId)
    .orderBy('created_at')
    .execute();
}

export async function revokeClient(
  db: Executor,
  scope: CompanyScope,
  input: { id: string; at: string },
): Promise<number> {
  const result = await db
    .updateTable('api_clients')
    .set({ revoked_at: input.at })
    .where('company_id', '=', scope.companyId)
    .where('id', '=', input.id)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}
