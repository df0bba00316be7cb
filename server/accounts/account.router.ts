import { router } from '../api/trpc/init.ts';
import { scopedProcedure } from '../api/trpc/procedures.ts';
import {
  accountOverlap,
  accountSummary,
  overlapInput,
  setOverlapSharing,
  sharingInput,
  uploadAccounts,
  uploadInput,
} from './account.service.ts';

const read = scopedProcedure('partners:read');
const manage = scopedProcedure('partners:manage');

export const accountsRouter = router({
  summary: read.query(({ ctx }) => accountSummary(ctx.deps, ctx.principal)),
  upload: manage
    .input(uploadInput)
    .mutation(({ ctx, input }) => uploadAccounts(ctx.deps, ctx.principal, input)),
  setSharing: manage
    .input(sharingInput)
    .mutation(({ ctx, input }) => setOverlapSharing(ctx.deps, ctx.principal, input)),
  overlap: read
    .input(overlapInput)
    .query(({ ctx, input }) => accountOverlap(ctx.deps, ctx.principal, input)),
});
