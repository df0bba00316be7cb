import type { ServerResponse } from 'node:http';
import type { AppDeps } from '../../deps.ts';
import { sendJson } from '../json-io.ts';
import { companyJwks } from '../../tenants/keys/company-jwks.ts';

/** `GET /companies/<id>/.well-known/jwks.json`: the company's public keys, no auth, cacheable briefly. */
export async function jwksRoute(
  deps: AppDeps,
  companyId: string,
  res: ServerResponse,
): Promise<void> {
  sendJson(res, 200, await companyJwks(deps, companyId), { 'cache-control': 'public, max-age=60' });
}
