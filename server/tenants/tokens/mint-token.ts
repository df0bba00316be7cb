import type { AppDeps } from '../../deps.ts';
import { DomainError, notFound } from '../../core/domain-error.ts';
import { findClient } from '../clients/api-client.repository.ts';
import { findCompany } from '../companies/company.repository.ts';
import { findMemberByEmail } from '../members/member.repository.ts';
import { issueAccessToken, type IssuedToken } from './token-issuer.ts';

export interface MintRequest {
  company: string;
  member?: string | undefined;
  client?: string | undefined;
  ttlSeconds: number;
}

/**
 * An operator mints an access token for a member (by email) or API client of a company, as the
 * company itself would. Raises NotFound, InvalidState (disabled or revoked), ValidationFailed.
 */
export async function mintToken(deps: AppDeps, request: MintRequest): Promise<IssuedToken> {
  const company = await findCompany(deps.db, request.company);
  if (!company) throw notFound(`company "${request.company}"`);
  const scope = { companyId: company.id };
  let subject: string;
  if (request.member) {
    const member = await findMemberByEmail(deps.db, scope, request.member.toLowerCase());
    if (!member) throw notFound(`member "${request.member}" of ${company.slug}`);
    if (member.disabled_at)
      throw new DomainError('InvalidState', `member ${request.member} is disabled`);
    subject = member.id;
  } else if (request.client) {
    const client = await findClient(deps.db, scope, request.client);
    if (!client) throw notFound(`API client "${request.client}" of ${company.slug}`);
    if (client.revoked_at)
      throw new DomainError('InvalidState', `API client ${request.client} is revoked`);
    subject = client.id;
  } else {
    throw new DomainError(
      'ValidationFailed',
      'name a member (--member <email>) or an API client (--client <id>)',
    );
  }
  return issueAccessToken(deps, scope, { subject, ttlSeconds: request.ttlSeconds });
}
