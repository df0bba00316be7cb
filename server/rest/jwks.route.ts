import type { ServerResponse } from 'node:http';
import type { AppDeps } from '../app-deps.ts';
import { notFound } from '../core/domain-error.ts';
import { sendJson } from '../http/json-io.ts';
import { findCompany } from '../tenants/companies/company.repository.ts';

/** `GET /companies/<id>/.well-known/jwks.json`: the company's public keys, no auth, cacheable briefly. */
export async function jwksRoute(
  deps: AppDeps,
  companyId: string,
  res: ServerResponse,
): Promise<void> {
  const company = await findCompany(deps.db, companyId);
  if (!company || company.id !== companyId) throw notFound('company');
  const jwks = await deps.keyRing.jwks(deps.db, { companyId });
  sendJson(res, 200, jwks, { 'cache-control': 'public, max-age=60' });
}
