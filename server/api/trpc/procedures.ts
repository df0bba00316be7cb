import type { Scope } from '../../../shared/tenancy/tenancy.ts';
import { DomainError } from '../../core/domain-error.ts';
import { publicProcedure } from './init.ts';
import { lazyChild } from './lazy-log.ts';
import { runMutation } from './same-commit.ts';

/**
 * Every procedure that touches tenant data starts here: a verified principal or a 401, and for a
 * mutation, a 429 once the principal is over its writes per minute. A mutation's writes confirm
 * the token again at commit, cheaply, so one revoked or expired while the write queued is refused.
 */
export const authedProcedure = publicProcedure.use(async ({ ctx, type, meta, next }) => {
  const { auth } = ctx.deps;
  const principal = ctx.verified ?? (await auth.verify(ctx.deps, ctx.authorization));
  // Every mutation spends the principal's one write budget, whether it came over tRPC or REST.
  if (type === 'mutation') await ctx.deps.writeLimit.charge(principal);
  const authed = {
    ...ctx,
    principal,
    log: lazyChild(ctx.log, { companyId: principal.companyId, sub: principal.id }),
  };
  if (type !== 'mutation') return next({ ctx: authed });
  const { sameCommit } = ctx;
  return runMutation(
    ctx.deps,
    {
      async check(trx) {
        await auth.recheck({ ...ctx.deps, db: trx }, ctx.authorization, principal, meta?.scope);
        await sameCommit?.check?.(trx);
      },
      keep: sameCommit?.keep,
      log: authed.log,
    },
    (deps) => next({ ctx: { ...authed, deps } }),
  );
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
