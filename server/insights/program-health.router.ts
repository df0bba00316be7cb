import { router } from '../api/trpc/init.ts';
import { scopedProcedure } from '../api/trpc/procedures.ts';
import { getProgramHealth, healthInput } from './program-health.service.ts';

export const programHealthRouter = router({
  get: scopedProcedure('partners:read')
    .input(healthInput)
    .query(({ ctx, input }) => getProgramHealth(ctx.deps, ctx.principal, input)),
});
