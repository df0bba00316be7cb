import { authedProcedure } from '../../api/trpc/procedures.ts';
import { router } from '../../api/trpc/init.ts';
import { whoAmI } from './company.service.ts';

export const companiesRouter = router({
  /** The caller's own company and who the caller is in it. */
  me: authedProcedure.query(({ ctx }) => whoAmI(ctx.deps, ctx.principal)),
});
