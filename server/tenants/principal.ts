import type { Scope } from '../../shared/tenancy/tenancy.ts';

/** Who is acting on a request: always one company, through one of its members or API clients. */
export interface Principal {
  companyId: string;
  kind: 'member' | 'client';
  /** The member or API client id (the token's `sub`). */
  id: string;
  scopes: ReadonlySet<Scope>;
  /**
   * Set by the MCP face: the principal acts through an agent, calling this tool. Writes record it
   * in the ledger with the principal (see Actor); the rights are the principal's own.
   */
  via?: 'mcp';
  tool?: string;
  /** The token that carried it, so the caller can revoke it. */
  token: { issuer: string; jti: string; expiresAt: number };
}

/** The company scope every repository call takes. */
export interface CompanyScope {
  companyId: string;
}
