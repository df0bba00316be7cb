import { compactVerify, createLocalJWKSet } from 'jose';
import { z } from 'zod';
import type { Deps } from '../../deps.ts';
import { DomainError } from '../../core/domain-error.ts';
import type { Principal } from '../../tenants/principal.ts';

const confirmationType = 'tandem-mcp-confirmation';
/** Long enough for a person to read a diff; short enough that a stale one is not lying around. */
const lifetimeMs = 15 * 60 * 1000;

const claimsSchema = z.object({
  tool: z.string(),
  input: z.unknown(),
  companyId: z.string(),
  sub: z.string(),
  exp: z.number(),
});

/** A proposed write, bound to the principal that proposed it. */
export interface Proposal {
  tool: string;
  /** The procedure input the confirming call runs, exactly (with the version the diff was made at). */
  input: unknown;
}

function refused(message: string): DomainError {
  return new DomainError('ValidationFailed', message, [{ path: 'confirmation', message }]);
}

/**
 * A confirmation is a compact JWS by the deployment key over the exact input to run, so the
 * server keeps no state between the proposal and the confirming call (any instance may take the
 * second), and the agent can neither change what is written nor hand it to another principal.
 */
export async function signProposal(
  deps: Deps<'db' | 'deploymentKey' | 'clock'>,
  principal: Principal,
  proposal: Proposal,
): Promise<{ confirmation: string; expiresAt: string }> {
  const exp = deps.clock.now().getTime() + lifetimeMs;
  const claims = { ...proposal, companyId: principal.companyId, sub: principal.id, exp };
  const confirmation = await deps.deploymentKey.sign(deps.db, {
    payload: JSON.stringify(claims),
    typ: confirmationType,
  });
  return { confirmation, expiresAt: new Date(exp).toISOString() };
}

/** The proposal a confirmation carries. Raises ValidationFailed (path `confirmation`). */
export async function openProposal(
  deps: Deps<'db' | 'deploymentKey' | 'clock'>,
  principal: Principal,
  confirmation: string,
): Promise<Proposal> {
  const keys = createLocalJWKSet(await deps.deploymentKey.jwks(deps.db));
  let claims: z.output<typeof claimsSchema>;
  try {
    const { payload, protectedHeader } = await compactVerify(confirmation, keys);
    if (protectedHeader.typ !== confirmationType) throw new Error('not a confirmation');
    claims = claimsSchema.parse(JSON.parse(new TextDecoder().decode(payload)));
  } catch {
    throw refused('not a confirmation this server gave out');
  }
  if (claims.companyId !== principal.companyId || claims.sub !== principal.id)
    throw refused('this confirmation was given to another principal');
  if (claims.exp <= deps.clock.now().getTime())
    throw refused('this confirmation has expired: propose the change again');
  return { tool: claims.tool, input: claims.input };
}
