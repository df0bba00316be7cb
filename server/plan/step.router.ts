import { stepViewSchema } from '../../shared/opportunities/deal-view.schema.ts';
import { getDeal } from '../opportunities/deal-detail.query.ts';
import { mcpTool, restRoute } from '../api/trpc/meta.ts';
import { router } from '../api/trpc/init.ts';
import { scopedProcedure } from '../api/trpc/procedures.ts';
import { addStep, addStepInput, updateStep, updateStepInput } from './step.service.ts';

const write = scopedProcedure('opportunities:write');
const tags = ['co-sell steps'];

export const stepsRouter = router({
  add: write
    .meta(
      restRoute(
        {
          method: 'POST',
          path: '/opportunities/{dealId}/steps',
          tags,
          summary: 'Add a step to the mutual plan',
        },
        { created: true, body: 'step', precondition: { deal: 'dealId' } },
      ),
    )
    .meta(
      mcpTool({
        name: 'add_step',
        title: 'Add a co-sell step',
        description:
          "Adds a step to a deal's mutual plan: a play (intro, discovery, proposal, …), the " +
          'owning company (a participant of the deal), optionally a person, due date and title.',
        write: true,
      }),
    )
    .input(addStepInput)
    .output(stepViewSchema)
    .mutation(async ({ ctx, input }) => {
      const { id } = await addStep(ctx.deps, ctx.principal, input);
      const deal = await getDeal(ctx.deps, ctx.principal, { id: input.dealId });
      return deal.steps.find((s) => s.id === id)!;
    }),
  update: write
    .meta(
      restRoute(
        {
          method: 'PATCH',
          path: '/opportunities/{dealId}/steps/{stepId}',
          tags,
          summary: 'Change the step fields sent',
        },
        { body: 'patch', precondition: { deal: 'dealId' } },
      ),
    )
    .meta(
      mcpTool({
        name: 'update_step',
        title: 'Update or complete a co-sell step',
        description:
          'Changes the step fields sent in `patch`; to complete a step send ' +
          '`{ "status": "done", "outcome": "…" }`.',
        write: true,
      }),
    )
    .input(updateStepInput)
    .output(stepViewSchema)
    .mutation(async ({ ctx, input }) => {
      await updateStep(ctx.deps, ctx.principal, input);
      const deal = await getDeal(ctx.deps, ctx.principal, { id: input.dealId });
      return deal.steps.find((s) => s.id === input.stepId)!;
    }),
});
