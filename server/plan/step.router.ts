import { getDeal } from '../opportunities/deal-detail.query.ts';
import { router } from '../trpc/init.ts';
import { scopedProcedure } from '../trpc/procedures.ts';
import { addStep, addStepInput, updateStep, updateStepInput } from './step.service.ts';

const write = scopedProcedure('opportunities:write');

export const stepsRouter = router({
  add: write.input(addStepInput).mutation(async ({ ctx, input }) => {
    const { id } = await addStep(ctx.deps, ctx.principal, input);
    const deal = await getDeal(ctx.deps, ctx.principal, { id: input.dealId });
    return deal.steps.find((s) => s.id === id)!;
  }),
  update: write.input(updateStepInput).mutation(async ({ ctx, input }) => {
    await updateStep(ctx.deps, ctx.principal, input);
    const deal = await getDeal(ctx.deps, ctx.principal, { id: input.dealId });
    return deal.steps.find((s) => s.id === input.stepId)!;
  }),
});
