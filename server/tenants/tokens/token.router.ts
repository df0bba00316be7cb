import { router } from '../../api/trpc/init.ts';
import { authedProcedure, scopedProcedure } from '../../api/trpc/procedures.ts';
import { revokeOwnToken, revokeToken, revokeTokenInput } from './token.service.ts';

export const tokensRouter = router({
  /** An admin revokes any token its company issued, by jti. */
  revoke: scopedProcedure('company:admin')
    .input(revokeTokenInput)
    .mutation(({ ctx, input }) => revokeToken(ctx.deps, ctx.principal, input)),
  /** Sign out: the caller's own token stops working. */
  revokeCurrent: authedProcedure.mutation(({ ctx }) => revokeOwnToken(ctx.deps, ctx.principal)),
});
