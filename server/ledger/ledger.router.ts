import { feedPageSchema } from '../../shared/opportunities/deal-view.schema.ts';
import { restRoute } from '../api/trpc/meta.ts';
import { router } from '../api/trpc/init.ts';
import { scopedProcedure } from '../api/trpc/procedures.ts';
import { changeFeed, feedInput } from './change-feed.ts';

export const ledgerRouter = router({
  /** Events since a cursor, for integrations that pull; the same events webhooks deliver. */
  feed: scopedProcedure('opportunities:read')
    .meta(
      restRoute(
        {
          method: 'GET',
          path: '/changes',
          tags: ['changes'],
          summary: 'Events of your deals since a cursor, oldest first',
        },
        // At the end of the feed the link is where to poll next.
        { page: { cursor: 'after', next: 'nextCursor' } },
      ),
    )
    .input(feedInput)
    .output(feedPageSchema)
    .query(({ ctx, input }) => changeFeed(ctx.deps, ctx.principal, input)),
});
