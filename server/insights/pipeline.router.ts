import { stageTotalsSchema } from '../../shared/insights/stage-totals.schema.ts';
import { router } from '../api/trpc/init.ts';
import { restRoute } from '../api/trpc/meta.ts';
import { scopedProcedure } from '../api/trpc/procedures.ts';
import { stageTotals, stageTotalsInput } from './stage-totals.service.ts';

export const pipelineRouter = router({
  stageTotals: scopedProcedure('opportunities:read')
    .meta(
      restRoute({
        method: 'GET',
        path: '/pipeline/stage-totals',
        tags: ['opportunities'],
        summary: 'Counts and totals of your deals by stage, in one reporting currency',
        description:
          'Closed deals in another currency are converted at the rate frozen at their close (their ' +
          'attribution), open ones at the latest rate frozen for their currency; deals in a ' +
          'currency with no frozen rate are counted apart, per currency. Takes the filters of ' +
          '`GET /opportunities`.',
      }),
    )
    .input(stageTotalsInput)
    .output(stageTotalsSchema)
    .query(({ ctx, input }) => stageTotals(ctx.deps, ctx.principal, input)),
});
