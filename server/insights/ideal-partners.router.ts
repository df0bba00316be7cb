import { z } from 'zod';
import { idealPartnersSchema } from '../../shared/insights/ideal-partner.schema.ts';
import { featureNames } from '../../shared/insights/partner-features.ts';
import { mcpTool, restRoute } from '../api/trpc/meta.ts';
import { router } from '../api/trpc/init.ts';
import { scopedProcedure } from '../api/trpc/procedures.ts';
import {
  forDealInput,
  forDraftInput,
  idealPartnersForDeal,
  idealPartnersForDraft,
  partnerModelWeights,
} from './ideal-partners.service.ts';

const read = scopedProcedure('opportunities:read');
const tags = ['ideal partners'];

const weightsSchema = z
  .object({
    source: z.enum(['prior', 'learned']),
    trainingRows: z.number().int(),
    builtAt: z.string(),
    weights: z.array(
      z.object({ feature: z.enum(featureNames), prior: z.number(), weight: z.number() }),
    ),
  })
  .meta({ id: 'PartnerModelWeights' });

export const idealPartnersRouter = router({
  forDeal: read
    .meta(
      restRoute({
        method: 'GET',
        path: '/opportunities/{id}/ideal-partners',
        tags,
        summary: 'Your partners ranked for this deal, with reasons',
      }),
    )
    .input(forDealInput)
    .output(idealPartnersSchema)
    .query(({ ctx, input }) => idealPartnersForDeal(ctx.deps, ctx.principal, input)),
  forDraft: read
    .meta(
      restRoute({
        method: 'POST',
        path: '/ideal-partners',
        tags,
        summary: 'Your partners ranked for a deal being drafted (nothing is stored)',
      }),
    )
    .meta(
      mcpTool({
        name: 'recommend_partners',
        title: 'Recommend partners for a draft deal',
        description:
          'Ranks your active partners for a deal being drafted (nothing is stored) by the ' +
          'estimated chance of winning with each, with the reasons: record with you, fit, ' +
          'activation, account overlap where the partner shares it.',
      }),
    )
    .input(forDraftInput)
    .output(idealPartnersSchema)
    .mutation(({ ctx, input }) => idealPartnersForDraft(ctx.deps, ctx.principal, input)),
  weights: scopedProcedure('partners:read')
    .meta(
      restRoute({
        method: 'GET',
        path: '/ideal-partners/weights',
        tags,
        summary: 'The weights your rankings use: learned from your closed deals, and the prior',
      }),
    )
    .input(z.strictObject({}).optional())
    .output(weightsSchema)
    .query(({ ctx }) => partnerModelWeights(ctx.deps, ctx.principal)),
});
