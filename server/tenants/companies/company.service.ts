import { z } from 'zod';
import { slugPattern } from '../../../shared/tenancy/tenancy.ts';
import type { Deps } from '../../deps.ts';
import { parseInput } from '../../core/parse-input.ts';
import { newId } from '../../core/ids.ts';
import { notFound } from '../../core/domain-error.ts';
import { findMember } from '../members/member.repository.ts';
import type { Principal } from '../principal.ts';
import { findCompany, insertCompany, type CompanyRow } from './company.repository.ts';

export const createCompanyInput = z.strictObject({
  slug: z.string().regex(slugPattern, 'lower-case letters, digits and dashes, 1-40 characters'),
  name: z.string().trim().min(1).max(200),
});

export interface Company {
  id: string;
  slug: string;
  name: string;
  createdAt: string;
}

export function toCompany(row: CompanyRow): Company {
  return { id: row.id, slug: row.slug, name: row.name, createdAt: row.created_at };
}

/**
 * Creates a company with its first access and attestation keys, all or nothing.
 * Raises ValidationFailed and AlreadyExists (slug taken).
 */
export async function createCompany(
  deps: Deps<'db' | 'clock' | 'keyRing' | 'writes'>,
  input: z.input<typeof createCompanyInput>,
): Promise<Company> {
  const { slug, name } = parseInput(createCompanyInput, input);
  const row: CompanyRow = {
    id: newId('co'),
    slug,
    name,
    created_at: deps.clock.now().toISOString(),
  };
  await deps.writes.run(async (trx) => {
    await insertCompany(trx, row);
    await deps.keyRing.rotate(trx, { companyId: row.id }, 'access');
    await deps.keyRing.rotate(trx, { companyId: row.id }, 'attestation');
  });
  return toCompany(row);
}

/** A company by id. Raises NotFound. */
export async function getCompany(deps: Deps<'db'>, companyId: string): Promise<Company> {
  const row = await findCompany(deps.db, companyId);
  if (!row || row.id !== companyId) throw notFound('company');
  return toCompany(row);
}

/** The caller's own company and who the caller is in it. Raises NotFound. */
export async function whoAmI(deps: Deps<'db'>, principal: Principal) {
  const company = await getCompany(deps, principal.companyId);
  // A member's own name and email, so that the web app can say who is signed in.
  const member =
    principal.kind === 'member' ? await findMember(deps.db, principal, principal.id) : undefined;
  return {
    company,
    principal: {
      kind: principal.kind,
      id: principal.id,
      scopes: [...principal.scopes].sort(),
      name: member?.name ?? null,
      email: member?.email ?? null,
    },
  };
}
