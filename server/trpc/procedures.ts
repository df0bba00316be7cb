import type { Scope } from '../../shared/tenancy/tenancy.ts';
import { DomainError } from '../core/domain-error.ts';
import { bearerToken, verifyAccessToken } from '../tenants/tokens/token-verifier.ts';
import { publicProcedure } from './init.ts';

/** Every procedure that touches tenant data starts here: a verified principal or a 401. */
export const authedProcedure = publicProcedure.use(async ({ ctx, next }) => {
  const principal = await verifyAccessToken(ctx.deps, bearerToken(ctx.authorization));
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
