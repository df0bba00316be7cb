import { z } from 'zod';
import { whoAmISchema } from '../../../shared/tenancy/tenancy-view.schema.ts';
import { authedProcedure } from '../../api/trpc/procedures.ts';
import { router } from '../../api/trpc/init.ts';
import { restRoute } from '../../api/trpc/meta.ts';
import { whoAmI } from './company.service.ts';

export const companiesRouter = router({
  /** The caller's own company and who the caller is in it. */
  me: authedProcedure
    .meta(
      restRoute({
        method: 'GET',
        path: '/me',
        tags: ['companies'],
        summary: 'Your company, and who you are in it (kind, scopes)',
      }),
    )
    .input(z.strictObject({}).optional())
    .output(whoAmISchema)
    .query(({ ctx }) => whoAmI(ctx.deps, ctx.principal)),
});
