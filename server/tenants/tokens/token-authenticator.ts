import type { Authenticator } from '../../deps.ts';
import { recheckAccessToken } from './token-recheck.ts';
import { bearerToken, verifyAccessToken } from './token-verifier.ts';

/** Bearer access tokens, verified against the issuing company's keys (see token-verifier.ts). */
export const tokenAuthenticator: Authenticator = {
  verify: (deps, authorization) => verifyAccessToken(deps, bearerToken(authorization)),
  recheck: (deps, authorization, principal, scope) =>
    recheckAccessToken(deps, bearerToken(authorization), principal, scope),
};
