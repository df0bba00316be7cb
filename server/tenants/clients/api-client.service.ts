import { z } from 'zod';
import { scopes as allScopes, type Scope } from '../../../shared/tenancy/tenancy.ts';
import type { Deps } from '../../deps.ts';
import { DomainError, notFound } from '../../core/domain-error.ts';
import { newId } from '../../core/ids.ts';
import { parseInput } from '../../core/parse-input.ts';
import type { CompanyScope } from '../principal.ts';
import { hashSecret, newSecret, verifySecret } from '../secret-hash.ts';
import { issueAccessToken, type IssuedToken } from '../tokens/token-issuer.ts';
import { maxTokenTtlSeconds } from '../tokens/token-claims.ts';
import {
  findClient,
  findClientForCredentials,
  insertClient,
  listClients,
  revokeClient,
  type ApiClientRow,
} from './api-client.repository.ts';

export const createClientInput = z.strictObject({
  name: z.string().trim().min(1).max(200),
  scopes: z
    .array(z.enum(allScopes))
    .min(1)
    .transform((s) => [...new Set(s)]),
});
export const clientIdInput = z.strictObject({ clientId: z.string().min(1) });
// OAuth 2 says to ignore parameters a server does not know, so this one stays lenient.
export const tokenRequestInput = z.object({
  grant_type: z.literal('client_credentials').optional(),
  client_id: z.string().min(1).max(200),
  client_secret: z.string().min(1).max(500),
  scope: z.string().max(1000).optional(),
});

export interface ApiClient {
  id: string;
  name: string;
  scopes: Scope[];
  createdAt: string;
  revoked: boolean;
}

function toClient(row: ApiClientRow): ApiClient {
  return {
    id: row.id,
    name: row.name,
    scopes: JSON.parse(row.scopes) as Scope[],
    createdAt: row.created_at,
    revoked: row.revoked_at !== null,
  };
}

/** Creates an API client; the secret is returned here once and stored only as a slow hash. */
export async function createClient(
  deps: Deps<'db' | 'clock'>,
  scope: CompanyScope,
  input: z.input<typeof createClientInput>,
): Promise<{ client: ApiClient; secret: string }> {
  const { name, scopes } = parseInput(createClientInput, input);
  const secret = newSecret();
  const row: ApiClientRow = {
    id: newId('cli'),
    company_id: scope.companyId,
    name,
    scopes: JSON.stringify(scopes),
    secret_hash: await hashSecret(secret),
    created_at: deps.clock.now().toISOString(),
    revoked_at: null,
  };
  await insertClient(deps.db, row);
  return { client: toClient(row), secret };
}

export async function listCompanyClients(
  deps: Deps<'db'>,
  scope: CompanyScope,
): Promise<ApiClient[]> {
  return (await listClients(deps.db, scope)).map(toClient);
}

/** Revokes a client; its secret and every token it holds stop working at once. Raises NotFound. */
export async function revokeCompanyClient(
  deps: Deps<'db' | 'clock' | 'tokenCache'>,
  scope: CompanyScope,
  input: z.input<typeof clientIdInput>,
): Promise<ApiClient> {
  const { clientId } = parseInput(clientIdInput, input);
  const row = await findClient(deps.db, scope, clientId);
  if (!row) throw notFound('API client');
  const at = row.revoked_at ?? deps.clock.now().toISOString();
  await revokeClient(deps.db, scope, { id: clientId, at });
  deps.tokenCache.invalidate();
  return toClient({ ...row, revoked_at: at });
}

const badCredentials = () =>
  new DomainError('CredentialsInvalid', 'unknown client or wrong secret');

/**
 * The client-credentials exchange: an API client's id and secret for an access token of up to
 * an hour, optionally narrowed to some of its scopes. Raises CredentialsInvalid (one message for
 * every failure, so it tells nothing to a guesser) and ValidationFailed.
 */
export async function exchangeClientCredentials(
  deps: Deps<'db' | 'clock' | 'keyRing' | 'config'>,
  input: z.input<typeof tokenRequestInput>,
): Promise<IssuedToken & { scope: string }> {
  const request = parseInput(tokenRequestInput, input);
  const row = await findClientForCredentials(deps.db, request.client_id);
  // Hash even for an unknown id so response time does not reveal which ids exist.
  const ok = await verifySecret(
    request.client_secret,
    row?.secret_hash ?? 'scrypt$32768$8$1$AAAAAAAAAAAAAAAAAAAAAA$AAAA',
  );
  if (!row || !ok || row.revoked_at) throw badCredentials();
  const granted = JSON.parse(row.scopes) as Scope[];
  const asked = request.scope?.split(' ').filter(Boolean) ?? granted;
  const unknown = asked.filter((s) => !granted.includes(s as Scope));
  if (unknown.length > 0) {
    throw new DomainError('Forbidden', `scope not granted to this client: ${unknown.join(' ')}`, [
      { path: 'scope', message: 'not granted' },
    ]);
  }
  const scopes = asked as Scope[];
  const issued = await issueAccessToken(
    deps,
    { companyId: row.company_id },
    { subject: row.id, ttlSeconds: maxTokenTtlSeconds / 4, scopes },
  );
  return { ...issued, scope: scopes.join(' ') };
}
