import { z } from 'zod';
import {
  partnerProfileSchema,
  profileReviewSchema,
  profileScoresSchema,
  profileValuesSchema,
} from '../../shared/insights/partner-profile.schema.ts';
import { router } from '../api/trpc/init.ts';
import { restRoute } from '../api/trpc/meta.ts';
import { scopedProcedure } from '../api/trpc/procedures.ts';
import {
  getProfiles,
  profileInput,
  reviewInput,
  reviewProfileWeights,
  scoreInput,
  scoreSubjects,
  setProfile,
  setProfileValues,
  valuesInput,
} from './partner-profile.service.ts';

const read = scopedProcedure('partners:read');
const manage = scopedProcedure('partners:manage');
const tags = ['partner profiles'];

export const partnerProfilesRouter = router({
  list: read
    .meta(
      restRoute({
        method: 'GET',
        path: '/partner-profiles',
        tags,
        summary: 'Your ideal partner profiles, one per partner type',
      }),
    )
    .input(z.strictObject({}).optional())
    .output(z.array(partnerProfileSchema))
    .query(({ ctx }) => getProfiles(ctx.deps, ctx.principal)),
  set: manage
    .meta(
      restRoute({
        method: 'PUT',
        path: '/partner-profiles/{partnerType}',
        tags,
        summary: 'Save the profile of one partner type (replacing the one before)',
      }),
    )
    .input(profileInput)
    .output(partnerProfileSchema)
    .mutation(({ ctx, input }) => setProfile(ctx.deps, ctx.principal, input)),
  setValues: manage
    .meta(
      restRoute({
        method: 'PUT',
        path: '/partner-profiles/values/{subject}',
        tags,
        summary: 'Set hand-made dimension values for a partner or candidate',
      }),
    )
    .input(valuesInput)
    .output(profileValuesSchema)
    .mutation(({ ctx, input }) => setProfileValues(ctx.deps, ctx.principal, input)),
  score: read
    .meta(
      restRoute({
        method: 'GET',
        path: '/partner-profiles/scores',
        tags,
        summary:
          'Partners and candidates scored against their type’s profile: recruit, nurture, pass',
      }),
    )
    .input(scoreInput)
    .output(profileScoresSchema)
    .query(({ ctx, input }) => scoreSubjects(ctx.deps, ctx.principal, input)),
  review: read
    .meta(
      restRoute({
        method: 'GET',
        path: '/partner-profiles/{partnerType}/review',
        tags,
        summary: "A profile's scores against its partners' production, with proposed weights",
      }),
    )
    .input(reviewInput)
    .output(profileReviewSchema)
    .query(({ ctx, input }) => reviewProfileWeights(ctx.deps, ctx.principal, input)),
});
