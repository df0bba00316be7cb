import type { ServerResponse } from 'node:http';
import type { AppDeps } from '../../deps.ts';
import { sendJson } from '../json-io.ts';
import { getCompany } from '../../tenants/companies/company.service.ts';
import { issuerFor } from '../../tenants/tokens/token-claims.ts';
import { witnessJwks } from '../../transparency/witness.service.ts';

/** `GET /companies/<id>/.well-known/jwks.json`: the company's public keys, no auth, cacheable briefly. */
export async function jwksRoute(
  deps: AppDeps,
  companyId: string,
  res: ServerResponse,
): Promise<void> {
  await getCompany(deps, companyId);
  const jwks = await deps.keyRing.jwks(deps.db, { companyId });
  jwks.keys.push(...(await witnessJwks(deps.db, companyId)));
  // `iss` names whose keys these are, so a saved copy still binds keys to the company offline.
  sendJson(
    res,
    200,
    { iss: issuerFor(deps.config.publicUrl, companyId), ...jwks },
    { 'cache-control': 'public, max-age=60' },
  );
}
