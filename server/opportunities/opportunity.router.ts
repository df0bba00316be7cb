import { z } from 'zod';
import {
  batchResultSchema,
  dealDetailSchema,
  dealPageSchema,
  dealViewSchema,
} from '../../shared/opportunities/deal-view.schema.ts';
import { idealPartnersSchema } from '../../shared/insights/ideal-partner.schema.ts';
import { mcpTool, restRoute } from '../api/trpc/meta.ts';
import { router } from '../api/trpc/init.ts';
import { scopedProcedure } from '../api/trpc/procedures.ts';
import { getDeal } from './deal-detail.query.ts';
import {
  dismissDuplicate,
  duplicatePairInput,
  linkDuplicate,
  mergeDuplicate,
  mergeDuplicateInput,
} from './duplicates.service.ts';
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
const tags = ['opportunities'];

/** Items are validated one by one by the service (every bad field of every item is reported). */
const batchInput = z.strictObject({
  items: z
    .array(z.unknown().meta({ override: { $ref: '#/components/schemas/OpportunityUpsert' } }))
    .min(1)
    .max(maxBatch),
});

/** A new deal answers with the partners to bring in (the Ideal Deal Partner ranking, top five). */
const createdDealSchema = dealViewSchema
  .extend({ idealPartners: idealPartnersSchema.nullable() })
  .meta({ id: 'CreatedDeal' });

export const opportunitiesRouter = router({
  list: read
    .meta(
      restRoute(
        { method: 'GET', path: '/opportunities', tags, summary: 'List your deals' },
        { page: { cursor: 'cursor', next: 'nextCursor' } },
      ),
    )
    .meta(
      mcpTool({
        name: 'list_deals',
        title: 'List or search shared deals',
        description:
          'Your shared deals, newest change first: filter by stage, status, partner (company id), ' +
          'expected close dates, amount (minor units) or text in the title or customer name (`q`); ' +
          'page with `cursor` = the previous `nextCursor`.',
      }),
    )
    .input(listDealsInput)
    .output(dealPageSchema)
    .query(({ ctx, input }) => listDeals(ctx.deps, ctx.principal, input)),
  get: read
    .meta(
      restRoute(
        {
          method: 'GET',
          path: '/opportunities/{id}',
          tags,
          summary: 'One deal, its plan and history',
        },
        { etag: true },
      ),
    )
    .meta(
      mcpTool({
        name: 'get_deal',
        title: 'Get a deal',
        description:
          'One deal by id: its shared fields, participants, the mutual plan (co-sell steps) and ' +
          'its history from the ledger with the author of every change. `version` is what ' +
          '`propose_deal_change` compares against.',
      }),
    )
    .input(dealIdInput)
    .output(dealDetailSchema)
    .query(({ ctx, input }) => getDeal(ctx.deps, ctx.principal, input)),
  create: write
    .meta(
      restRoute(
        {
          method: 'POST',
          path: '/opportunities',
          tags,
          summary: 'Create a deal and invite partners',
        },
        { created: true, etag: true },
      ),
    )
    .input(createDealInput)
    .output(createdDealSchema)
    .mutation(async ({ ctx, input }) => {
      const deal = await createDeal(ctx.deps, ctx.principal, input);
      // The ranking comes from the insights domain, wired by the composition root.
      return {
        ...deal,
        idealPartners: await ctx.deps.rankNewDeal(ctx.deps, ctx.principal, deal.id),
      };
    }),
  update: write
    .meta(
      restRoute(
        {
          method: 'PATCH',
          path: '/opportunities/{id}',
          tags,
          summary: 'Change the fields sent; the others stay',
        },
        { etag: true, body: 'patch', precondition: { deal: 'id', expectedVersion: true } },
      ),
    )
    .meta(
      mcpTool({
        name: 'propose_deal_change',
        title: 'Propose a change to a deal',
        description:
          'Proposes changing the shared fields sent in `patch` (the others stay). Nothing is ' +
          'written: the answer is the diff (each field from → to) and a `confirmation`; show ' +
          'the diff to your user and, if they agree, call `confirm_change` with it. The change ' +
          'is refused then if the deal moved on meanwhile.',
        write: true,
        confirm: true,
      }),
    )
    .input(updateDealInput)
    .output(dealViewSchema)
    .mutation(({ ctx, input }) => updateDeal(ctx.deps, ctx.principal, input)),
  upsert: write
    .meta(
      restRoute(
        {
          method: 'PUT',
          path: '/opportunities/by-ref/{externalRef}',
          tags,
          summary: 'Create or update by your own CRM id; the same push twice changes nothing',
        },
        { etag: true, precondition: { deal: 'externalRef' } },
      ),
    )
    .input(upsertDealInput)
    .output(dealViewSchema)
    .mutation(({ ctx, input }) => upsertDeal(ctx.deps, ctx.principal, input)),
  batchUpsert: write
    .meta(
      restRoute({
        method: 'POST',
        path: '/opportunities/batch',
        tags,
        summary: `Upsert up to ${maxBatch} deals by CRM id, all or nothing`,
        description:
          'Every bad field of every item is reported (`items.<n>.<path>`); one failure writes none.',
      }),
    )
    .input(batchInput)
    .output(batchResultSchema)
    .mutation(({ ctx, input }) => batchUpsertDeals(ctx.deps, ctx.principal, input)),
  share: write
    .meta(
      restRoute(
        { method: 'POST', path: '/opportunities/{id}/share', tags, summary: 'Invite a partner' },
        { etag: true, precondition: { deal: 'id' } },
      ),
    )
    .input(shareInput)
    .output(dealDetailSchema)
    .mutation(async ({ ctx, input }) => {
      await shareDeal(ctx.deps, ctx.principal, input);
      return getDeal(ctx.deps, ctx.principal, input);
    }),
  accept: write
    .meta(
      restRoute(
        {
          method: 'POST',
          path: '/opportunities/{id}/accept',
          tags,
          summary: 'Accept an invitation',
        },
        { etag: true, precondition: { deal: 'id' } },
      ),
    )
    .input(dealIdInput)
    .output(dealDetailSchema)
    .mutation(async ({ ctx, input }) => {
      await acceptInvitation(ctx.deps, ctx.principal, input);
      return getDeal(ctx.deps, ctx.principal, input);
    }),
  decline: write
    .meta(
      restRoute(
        {
          method: 'POST',
          path: '/opportunities/{id}/decline',
          tags,
          summary: 'Decline an invitation, with a reason',
        },
        { precondition: { deal: 'id' } },
      ),
    )
    .input(declineInput)
    .output(z.object({ declined: z.string() }))
    .mutation(async ({ ctx, input }) => {
      await declineInvitation(ctx.deps, ctx.principal, input);
      return { declined: input.id };
    }),
  removeParticipant: write
    .meta(
      restRoute(
        {
          method: 'DELETE',
          path: '/opportunities/{id}/participants/{companyId}',
          tags,
          summary: 'Remove a participant, or leave the deal',
        },
        { precondition: { deal: 'id' } },
      ),
    )
    .input(removeParticipantInput)
    .output(z.object({ removed: z.string() }))
    .mutation(async ({ ctx, input }) => {
      await removeParticipant(ctx.deps, ctx.principal, input);
      return { removed: input.companyId };
    }),
  setSponsor: write
    .meta(
      restRoute(
        {
          method: 'POST',
          path: '/opportunities/{id}/sponsor',
          tags,
          summary: "Name your company's executive sponsor",
        },
        { etag: true, precondition: { deal: 'id' } },
      ),
    )
    .input(sponsorInput)
    .output(dealDetailSchema)
    .mutation(async ({ ctx, input }) => {
      await setSponsor(ctx.deps, ctx.principal, input);
      return getDeal(ctx.deps, ctx.principal, input);
    }),
  mergeDuplicate: write
    .meta(
      restRoute(
        {
          method: 'POST',
          path: '/opportunities/{id}/duplicates/{duplicateId}/merge',
          tags,
          summary: 'Keep this deal and close its possible duplicate as a duplicate of it',
          description:
            'The duplicate is not deleted: it is closed as lost (reason `no_opportunity`) unless ' +
            'already lost, and both deals record `duplicate.merged`. Every company in the ' +
            'duplicate keeps it, closed, with a link to this one; none is added to this deal. ' +
            'You must have accepted both deals; the same merge again changes nothing.',
        },
        { etag: true, precondition: { deal: 'id' } },
      ),
    )
    .input(mergeDuplicateInput)
    .output(dealDetailSchema)
    .mutation(async ({ ctx, input }) => {
      await mergeDuplicate(ctx.deps, ctx.principal, input);
      return getDeal(ctx.deps, ctx.principal, input);
    }),
  linkDuplicate: write
    .meta(
      restRoute(
        {
          method: 'POST',
          path: '/opportunities/{id}/duplicates/{otherId}/link',
          tags,
          summary: 'Mark a possible duplicate as a related deal; both stay open',
          description:
            'Both deals record `duplicate.linked` and name each other in `relatedDeals`. You must ' +
            'have accepted both deals; linking again changes nothing.',
        },
        { etag: true, precondition: { deal: 'id' } },
      ),
    )
    .input(duplicatePairInput)
    .output(dealDetailSchema)
    .mutation(async ({ ctx, input }) => {
      await linkDuplicate(ctx.deps, ctx.principal, input);
      return getDeal(ctx.deps, ctx.principal, input);
    }),
  dismissDuplicate: write
    .meta(
      restRoute(
        {
          method: 'POST',
          path: '/opportunities/{id}/duplicates/{otherId}/dismiss',
          tags,
          summary: 'Not a duplicate: stop flagging the pair',
          description:
            'Both deals record `duplicate.dismissed`; the pair is no longer flagged on either. You ' +
            'must have accepted both deals; dismissing again changes nothing.',
        },
        { etag: true, precondition: { deal: 'id' } },
      ),
    )
    .input(duplicatePairInput)
    .output(dealDetailSchema)
    .mutation(async ({ ctx, input }) => {
      await dismissDuplicate(ctx.deps, ctx.principal, input);
      return getDeal(ctx.deps, ctx.principal, input);
    }),
});
