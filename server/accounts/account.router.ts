import { router } from '../api/trpc/init.ts';
import { mcpTool } from '../api/trpc/meta.ts';
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
    .meta(
      mcpTool({
        name: 'account_overlap',
        title: 'Account overlap with a partner',
        description:
          "The overlap of your accounts with a partner's, as far as that partner's sharing " +
          'rules allow: nothing, counts by population, or the overlapping accounts.',
      }),
    )
    .input(overlapInput)
    .query(({ ctx, input }) => accountOverlap(ctx.deps, ctx.principal, input)),
});
