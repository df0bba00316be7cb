/** Access tokens are typed as in RFC 9068, so an ID token or other JWT cannot pass for one. */
export const accessTokenType = 'at+jwt';
/** The longest life an access token may have, ours or minted by a company's own backend. */
export const maxTokenTtlSeconds = 3600;
export const clockSkewSeconds = 60;

/** The issuer contract: `<publicUrl>/companies/<companyId>`; its keys are at `<iss>/.well-known/jwks.json`. */
export function issuerFor(publicUrl: string, companyId: string): string {
  return `${publicUrl}/companies/${companyId}`;
}

/** The company an issuer names, or undefined when it is not one of this deployment's issuers. */
export function companyIdOfIssuer(publicUrl: string, issuer: string): string | undefined {
  const prefix = `${publicUrl}/companies/`;
  if (!issuer.startsWith(prefix)) return undefined;
  const id = issuer.slice(prefix.length);
  return /^co_[A-Za-z0-9_-]+$/.test(id) ? id : undefined;
}
