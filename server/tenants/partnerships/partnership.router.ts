import { z } from 'zod';
import { partnershipSchema } from '../../../shared/tenancy/tenancy-view.schema.ts';
import { router } from '../../api/trpc/init.ts';
import { restRoute } from '../../api/trpc/meta.ts';
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
const tags = ['partnerships'];
const one = '/partnerships/{partnershipId}';

export const partnershipsRouter = router({
  list: read
    .meta(
      restRoute({
        method: 'GET',
        path: '/partnerships',
        tags,
        summary: 'Your partnerships, sent and received, in any status',
      }),
    )
    .input(z.strictObject({}).optional())
    .output(z.array(partnershipSchema))
    .query(({ ctx }) => listCompanyPartnerships(ctx.deps, ctx.principal)),
  get: read
    .meta(restRoute({ method: 'GET', path: one, tags, summary: 'One of your partnerships' }))
    .input(partnershipIdInput)
    .output(partnershipSchema)
    .query(({ ctx, input }) => getPartnership(ctx.deps, ctx.principal, input)),
  invite: manage
    .meta(
      restRoute(
        {
          method: 'POST',
          path: '/partnerships',
          tags,
          summary: 'Invite a company (by id or slug) to be your partner',
        },
        { created: true },
      ),
    )
    .input(inviteInput)
    .output(partnershipSchema)
    .mutation(({ ctx, input }) => invitePartner(ctx.deps, ctx.principal, input)),
  accept: manage
    .meta(
      restRoute({ method: 'POST', path: `${one}/accept`, tags, summary: 'Accept an invitation' }),
    )
    .input(partnershipIdInput)
    .output(partnershipSchema)
    .mutation(({ ctx, input }) => acceptPartnership(ctx.deps, ctx.principal, input)),
  decline: manage
    .meta(
      restRoute({ method: 'POST', path: `${one}/decline`, tags, summary: 'Decline an invitation' }),
    )
    .input(partnershipIdInput)
    .output(partnershipSchema)
    .mutation(({ ctx, input }) => declinePartnership(ctx.deps, ctx.principal, input)),
  end: manage
    .meta(
      restRoute({
        method: 'POST',
        path: `${one}/end`,
        tags,
        summary: 'End a partnership (either side); no new deal is shared under it',
      }),
    )
    .input(partnershipIdInput)
    .output(partnershipSchema)
    .mutation(({ ctx, input }) => endPartnership(ctx.deps, ctx.principal, input)),
});
