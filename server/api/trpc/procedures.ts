import type { Scope } from '../../../shared/tenancy/tenancy.ts';
import { DomainError } from '../../core/domain-error.ts';
import { bearerToken, verifyAccessToken } from '../../tenants/tokens/token-verifier.ts';
import { publicProcedure } from './init.ts';

/**
 * Every procedure that touches tenant data starts here: a verified principal or a 401, and for a
 * mutation, a 429 once the principal is over its writes per minute.
 */
export const authedProcedure = publicProcedure.use(async ({ ctx, type, next }) => {
  const principal = await verifyAccessToken(ctx.deps, bearerToken(ctx.authorization));
  // Every mutation spends the principal's one write budget, whether it came over tRPC or REST.
  if (type === 'mutation') ctx.deps.writeLimit.charge(principal);
  return next({
    ctx: {
      ...ctx,
      principal,
      log: ctx.log.child({ companyId: principal.companyId, sub: principal.id }),
    },
  });
});

/** A procedure base that also demands a scope (a member's role grants scopes; a client holds them). */
export function scopedProcedure(scope: Scope) {
  // The scope is in the meta too, so a REST replay of a stored answer can check it again.
  return authedProcedure.meta({ scope }).use(({ ctx, next }) => {
    if (!ctx.principal.scopes.has(scope))
      throw new DomainError('Forbidden', `this needs the ${scope} permission`);
    return next();
  });
}
