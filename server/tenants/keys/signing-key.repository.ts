import type { Selectable } from 'kysely';
import type { SigningKeysTable } from '../../../schema/database.ts';
import type { Executor } from '../../store/db.ts';
import type { CompanyScope } from '../principal.ts';

export type SigningKeyRow = Selectable<SigningKeysTable>;
export type KeyPurpose = SigningKeysTable['purpose'];

export async function insertKey(db: Executor, row: SigningKeyRow): Promise<void> {
  await db.insertInto('signing_keys').values(row).execute();
}

/** A key of this company by kid, retired or not; another company's kid is simply not found. */
export async function findKey(
  db: Executor,
  scope: CompanyScope,
  kid: string,
): Promise<SigningKeyRow | undefined> {
  return db
    .selectFrom('signing_keys')
    .selectAll()
    .where('company_id', '=', scope.companyId)
    .where('kid', '=', kid)
    .executeTakeFirst();
}

export async function listKeys(db: Executor, scope: CompanyScope): Promise<SigningKeyRow[]> {
  return db
    .selectFrom('signing_keys')
    .selectAll()
    .where('company_id', '=', scope.companyId)
    .orderBy('created_at', 'asc')
    .orderBy('kid', 'asc')
    .execute();
}

/** The newest unretired server-held key for a purpose: the one that signs. */
export async function currentManagedKey(
  db: Executor,
  scope: CompanyScope,
  purpose: KeyPurpose,
): Promise<SigningKeyRow | undefined> {
  return db
    .selectFrom('signing_keys')
    .selectAll()
    .where('company_id', '=', scope.companyId)
    .where('purpose', '=', purpose)
    .where('source', '=', 'managed')
    .where('retired_at', 'is', null)
    .orderBy('created_at', 'desc')
    .orderBy('kid', 'desc')
    .executeTakeFirst();
}

export async function retireKey(
  db: Executor,
  scope: CompanyScope,
  kid: string,
  at: string,
): Promise<number> {
  const result = await db
    .updateTable('signing_keys')
    .set({ retired_at: at })
    .where('company_id', '=', scope.companyId)
    .where('kid', '=', kid)
    .where('retired_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}
