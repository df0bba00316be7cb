import type { Selectable } from 'kysely';
import type { CompaniesTable } from '../../../schema/database.ts';
import type { Executor } from '../../store/db.ts';
import { DomainError } from '../../core/domain-error.ts';
import { isUniqueViolation } from '../../store/store-errors.ts';

export type CompanyRow = Selectable<CompaniesTable>;

/** Raises AlreadyExists when the slug is taken. */
export async function insertCompany(db: Executor, row: CompanyRow): Promise<void> {
  try {
    await db.insertInto('companies').values(row).execute();
  } catch (error) {
    if (isUniqueViolation(error)) {
      throw new DomainError('AlreadyExists', `a company with slug "${row.slug}" already exists`, [
        { path: 'slug', message: 'already taken' },
      ]);
    }
    throw error;
  }
}

/** Companies are public by id and slug: a partner must be able to name one to invite it. */
export async function findCompany(db: Executor, idOrSlug: string): Promise<CompanyRow | undefined> {
  return db
    .selectFrom('companies')
    .selectAll()
    .where((eb) => eb.or([eb('id', '=', idOrSlug), eb('slug', '=', idOrSlug)]))
    .executeTakeFirst();
}

/** Every company of the deployment: for the operator's CLI only, never an API procedure. */
export async function listAllCompanies(db: Executor): Promise<CompanyRow[]> {
  return db.selectFrom('companies').selectAll().orderBy('created_at').orderBy('slug').execute();
}
