import { programHealthSchema } from '../../shared/insights/program-health.schema.ts';
import { router } from '../api/trpc/init.ts';
import { mcpTool, restRoute } from '../api/trpc/meta.ts';
import { scopedProcedure } from '../api/trpc/procedures.ts';
import { getProgramHealth, healthInput } from './program-health.service.ts';

export const programHealthRouter = router({
  get: scopedProcedure('partners:read')
    .meta(
      restRoute({
        method: 'GET',
        path: '/program-health',
        tags: ['program health'],
        summary:
          'Activated vs paper partners, concentration, co-sold vs not, sourced vs influenced',
      }),
    )
    .meta(
      mcpTool({
        name: 'program_health',
        title: 'Partner program health',
        description:
          'Activated vs paper partners, concentration of partner revenue, win rate, deal size ' +
          'and cycle co-sold vs not, sourced vs influenced pipeline, for a window `from`–`to`.',
      }),
    )
    .input(healthInput)
    .output(programHealthSchema)
    .query(({ ctx, input }) => getProgramHealth(ctx.deps, ctx.principal, input)),
});
