import { z } from 'zod';
import {
  accountCountsSchema,
  overlapSchema,
  sharingRuleSchema,
} from '../../shared/accounts/account-view.schema.ts';
import { router } from '../api/trpc/init.ts';
import { mcpTool, restRoute } from '../api/trpc/meta.ts';
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
const tags = ['accounts'];

export const accountsRouter = router({
  summary: read
    .meta(
      restRoute({
        method: 'GET',
        path: '/accounts',
        tags,
        summary: 'Your stored accounts, counted',
      }),
    )
    .input(z.strictObject({}).optional())
    .output(accountCountsSchema)
    .query(({ ctx }) => accountSummary(ctx.deps, ctx.principal)),
  upload: manage
    .meta(
      restRoute({
        method: 'POST',
        path: '/accounts',
        tags,
        summary: 'Upload your accounts (private: partners see only what your sharing rules allow)',
        description:
          'All or nothing; every bad field of every row is named (`accounts.<n>.<field>`). ' +
          'With `replace`, accounts not in this upload are dropped.',
      }),
    )
    .input(uploadInput)
    .output(accountCountsSchema)
    .mutation(({ ctx, input }) => uploadAccounts(ctx.deps, ctx.principal, input)),
  setSharing: manage
    .meta(
      restRoute({
        method: 'PUT',
        path: '/accounts/sharing/{partner}',
        tags,
        summary: 'Set what one partner may see of your side of the overlap',
      }),
    )
    .input(sharingInput)
    .output(sharingRuleSchema)
    .mutation(({ ctx, input }) => setOverlapSharing(ctx.deps, ctx.principal, input)),
  overlap: read
    .meta(
      restRoute({
        method: 'GET',
        path: '/accounts/overlap/{partner}',
        tags,
        summary: "Your accounts' overlap with a partner, as far as its sharing rule allows",
      }),
    )
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
    .output(overlapSchema)
    .query(({ ctx, input }) => accountOverlap(ctx.deps, ctx.principal, input)),
});
