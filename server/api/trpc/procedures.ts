import type { Scope } from '../../../shared/tenancy/tenancy.ts';
import { DomainError } from '../../core/domain-error.ts';
import type { Principal } from '../../tenants/principal.ts';
import { publicProcedure } from './init.ts';
import { lazyChild } from './lazy-log.ts';
import { runMutation } from './same-commit.ts';

function requireScope(principal: Principal, scope: Scope | undefined): void {
  if (scope && !principal.scopes.has(scope))
    throw new DomainError('Forbidden', `this needs the ${scope} permission`);
}

/**
 * Every procedure that touches tenant data starts here: a verified principal or a 401, and for a
 * mutation, a 429 once the principal is over its writes per minute. A mutation's writes confirm
 * the token again at commit, cheaply, so one revoked or expired while the write queued is refused.
 * The scope in the meta (see `scopedProcedure`) is checked here too, where the procedure starts
 * (for a mutation, inside its write), rather than in a middleware of its own: each level of
 * tRPC's chain copies the call's options and context.
 */
export const authedProcedure = publicProcedure.use(async ({ ctx, type, meta, next }) => {
  const { auth } = ctx.deps;
  const principal = ctx.verified ?? (await auth.verify(ctx.deps, ctx.authorization));
  // Every mutation spends the principal's one write budget, whether it came over tRPC or REST.
  if (type === 'mutation') await ctx.deps.writeLimit.charge(principal);
  const log = lazyChild(ctx.log, { companyId: principal.companyId, sub: principal.id });
  // Only what changes goes to `next`: tRPC merges it into the context.
  if (type !== 'mutation') {
    requireScope(principal, meta?.scope);
    return next({ ctx: { principal, log } });
  }
  const { sameCommit } = ctx;
  return runMutation(
    ctx.deps,
    {
      async check(trx) {
        await auth.recheck({ ...ctx.deps, db: trx }, ctx.authorization, principal, meta?.scope);
        await sameCommit?.check?.(trx);
      },
      keep: sameCommit?.keep,
      log,
    },
    (deps) => {
      requireScope(principal, meta?.scope);
      return next({ ctx: { principal, log, deps } });
    },
  );
});

/**
 * A procedure base that also demands a scope (a member's role grants scopes; a client holds them).
 * The scope is in the meta, where `authedProcedure` checks it and a REST replay of a stored answer
 * checks it again.
 */
export function scopedProcedure(scope: Scope) {
  return authedProcedure.meta({ scope });
}
