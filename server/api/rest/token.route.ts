import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AppDeps } from '../../deps.ts';
import { rateLimited } from '../../core/domain-error.ts';
import { readBody, sendJson } from '../json-io.ts';
import { exchangeClientCredentials } from '../../tenants/clients/api-client.service.ts';

/**
 * `POST /api/v1/token`: the OAuth 2 client-credentials grant (JSON or form body). Rate-limited per
 * client id and per address, so a secret cannot be guessed at speed.
 */
export async function tokenRoute(
  deps: AppDeps,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const body = await readBody(req, 16 * 1024);
  const clientId =
    typeof body === 'object' && body && 'client_id' in body ? String(body.client_id) : '';
  const wait = Math.max(
    ...(await Promise.all([
      deps.tokenRateLimiter.hit(`ip:${req.socket.remoteAddress ?? ''}`),
      clientId ? deps.tokenRateLimiter.hit(`client:${clientId}`) : 0,
    ])),
  );
  if (wait > 0) throw rateLimited('too many token requests', wait);
  const issued = await exchangeClientCredentials(deps, body as never);
  sendJson(
    res,
    200,
    {
      access_token: issued.token,
      token_type: 'Bearer',
      expires_in: issued.expiresIn,
      scope: issued.scope,
    },
    { 'cache-control': 'no-store' },
  );
}
