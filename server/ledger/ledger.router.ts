import { router } from '../trpc/init.ts';
import { scopedProcedure } from '../trpc/procedures.ts';
import { changeFeed, feedInput } from './change-feed.ts';
import { signCheckpoint } from './checkpoint.service.ts';
import { authedProcedure } from '../trpc/procedures.ts';

export const ledgerRouter = router({
  /** Events since a cursor, for integrations that pull; the same events webhooks deliver. */
  feed: scopedProcedure('opportunities:read')
    .input(feedInput)
    .query(({ ctx, input }) => changeFeed(ctx.deps, ctx.principal, input)),
  /** A signed checkpoint of the log head (size and hash), fresh if the log grew; keep it as proof. */
  checkpoint: authedProcedure.mutation(async ({ ctx }) => (await signCheckpoint(ctx.deps)) ?? null),
});
