import { z } from 'zod';
import { router } from '../trpc/init.ts';
import { scopedProcedure } from '../trpc/procedures.ts';
import { getDeal } from './deal-detail.query.ts';
import { listDeals, listDealsInput } from './deal-list.query.ts';
import {
  batchUpsertDeals,
  createDeal,
  createDealInput,
  maxBatch,
  updateDeal,
  updateDealInput,
  upsertDeal,
  upsertDealInput,
} from './opportunity.service.ts';
import {
  acceptInvitation,
  dealIdInput,
  declineInput,
  declineInvitation,
  removeParticipant,
  removeParticipantInput,
  setSponsor,
  shareDeal,
  shareInput,
  sponsorInput,
} from './sharing.service.ts';

const read = scopedProcedure('opportunities:read');
const write = scopedProcedure('opportunities:write');

export const opportunitiesRouter = router({
  list: read
    .input(listDealsInput)
    .query(({ ctx, input }) => listDeals(ctx.deps, ctx.principal, input)),
  get: read.input(dealIdInput).query(({ ctx, input }) => getDeal(ctx.deps, ctx.principal, input)),
  create: write
    .input(createDealInput)
    .mutation(({ ctx, input }) => createDeal(ctx.deps, ctx.principal, input)),
  update: write
    .input(updateDealInput)
    .mutation(({ ctx, input }) => updateDeal(ctx.deps, ctx.principal, input)),
  upsert: write
    .input(upsertDealInput)
    .mutation(({ ctx, input }) => upsertDeal(ctx.deps, ctx.principal, input)),
  batchUpsert: write
    .input(z.strictObject({ items: z.array(z.unknown()).min(1).max(maxBatch) }))
    .mutation(({ ctx, input }) => batchUpsertDeals(ctx.deps, ctx.principal, input)),
  share: write.input(shareInput).mutation(async ({ ctx, input }) => {
    await shareDeal(ctx.deps, ctx.principal, input);
    return getDeal(ctx.deps, ctx.principal, input);
  }),
  accept: write.input(dealIdInput).mutation(async ({ ctx, input }) => {
    await acceptInvitation(ctx.deps, ctx.principal, input);
    return getDeal(ctx.deps, ctx.principal, input);
  }),
  decline: write.input(declineInput).mutation(async ({ ctx, input }) => {
    await declineInvitation(ctx.deps, ctx.principal, input);
    return { declined: input.id };
  }),
  removeParticipant: write.input(removeParticipantInput).mutation(async ({ ctx, input }) => {
    await removeParticipant(ctx.deps, ctx.principal, input);
    return { removed: input.companyId };
  }),
  setSponsor: write.input(sponsorInput).mutation(async ({ ctx, input }) => {
    await setSponsor(ctx.deps, ctx.principal, input);
    return getDeal(ctx.deps, ctx.principal, input);
  }),
});
