import { z } from 'zod';
import { revokedSchema } from '../../../shared/tenancy/tenancy-view.schema.ts';
import { router } from '../../api/trpc/init.ts';
import { restRoute } from '../../api/trpc/meta.ts';
import { authedProcedure, scopedProcedure } from '../../api/trpc/procedures.ts';
import { revokeOwnToken, revokeToken, revokeTokenInput } from './token.service.ts';

const tags = ['tokens'];

export const tokensRouter = router({
  /** An admin revokes any token its company issued, by jti. */
  revoke: scopedProcedure('company:admin')
    .meta(
      restRoute(
        {
          method: 'POST',
          path: '/revoked-tokens',
          tags,
          summary: 'Revoke one of your company’s tokens by jti',
        },
        { created: true },
      ),
    )
    .input(revokeTokenInput)
    .output(revokedSchema)
    .mutation(({ ctx, input }) => revokeToken(ctx.deps, ctx.principal, input)),
  /** Sign out: the caller's own token stops working. */
  revokeCurrent: authedProcedure
    .meta(
      restRoute({
        method: 'DELETE',
        path: '/token',
        tags,
        summary: 'Revoke the token this request carries (sign out)',
      }),
    )
    .input(z.strictObject({}).optional())
    .output(revokedSchema)
    .mutation(({ ctx }) => revokeOwnToken(ctx.deps, ctx.principal)),
});
