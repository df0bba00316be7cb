import { router } from '../../api/trpc/init.ts';
import { scopedProcedure } from '../../api/trpc/procedures.ts';
import {
  acceptPartnership,
  declinePartnership,
  endPartnership,
  getPartnership,
  invitePartner,
  inviteInput,
  listCompanyPartnerships,
  partnershipIdInput,
} from './partnership.service.ts';

const read = scopedProcedure('partners:read');
const manage = scopedProcedure('partners:manage');

export const partnershipsRouter = router({
  list: read.query(({ ctx }) => listCompanyPartnerships(ctx.deps, ctx.principal)),
  get: read
    .input(partnershipIdInput)
    .query(({ ctx, input }) => getPartnership(ctx.deps, ctx.principal, input)),
  invite: manage
    .input(inviteInput)
    .mutation(({ ctx, input }) => invitePartner(ctx.deps, ctx.principal, input)),
  accept: manage
    .input(partnershipIdInput)
    .mutation(({ ctx, input }) => acceptPartnership(ctx.deps, ctx.principal, input)),
  decline: manage
    .input(partnershipIdInput)
    .mutation(({ ctx, input }) => declinePartnership(ctx.deps, ctx.principal, input)),
  end: manage
    .input(partnershipIdInput)
    .mutation(({ ctx, input }) => endPartnership(ctx.deps, ctx.principal, input)),
});
