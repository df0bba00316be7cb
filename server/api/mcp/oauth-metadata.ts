import { scopes } from '../../../shared/tenancy/tenancy.ts';

export const protectedResourcePath = '/.well-known/oauth-protected-resource';
export const authorizationServerPath = '/.well-known/oauth-authorization-server';

/**
 * RFC 9728 Protected Resource Metadata for `/mcp`: which server issues its tokens and where the
 * token endpoint is (also in the RFC 8414 document below; named here too, as an extra parameter
 * the RFC allows, for clients that read only this one). Tokens are company access tokens:
 * API clients get them with the client-credentials grant, members from `tandem token` or sign-in.
 */
export function protectedResourceMetadata(publicUrl: string) {
  return {
    resource: `${publicUrl}/mcp`,
    authorization_servers: [publicUrl],
    bearer_methods_supported: ['header'],
    scopes_supported: [...scopes],
    resource_name: 'Tandem',
    token_endpoint: `${publicUrl}/api/v1/token`,
  };
}

/** RFC 8414 Authorization Server Metadata: only the client-credentials grant is offered. */
export function authorizationServerMetadata(publicUrl: string) {
  return {
    issuer: publicUrl,
    token_endpoint: `${publicUrl}/api/v1/token`,
    grant_types_supported: ['client_credentials'],
    token_endpoint_auth_methods_supported: ['client_secret_post'],
    scopes_supported: [...scopes],
    response_types_supported: [],
  };
}

/** The challenge of a 401 on `/mcp`, pointing clients at the metadata (RFC 9728 §5.1). */
export function bearerChallenge(publicUrl: string, invalid: boolean): string {
  const metadata = `resource_metadata="${publicUrl}${protectedResourcePath}"`;
  return invalid ? `Bearer error="invalid_token", ${metadata}` : `Bearer ${metadata}`;
}
