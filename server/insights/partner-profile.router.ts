import { router } from '../api/trpc/init.ts';
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

export const partnerProfilesRouter = router({
  list: read.query(({ ctx }) => getProfiles(ctx.deps, ctx.principal)),
  set: manage
    .input(profileInput)
    .mutation(({ ctx, input }) => setProfile(ctx.deps, ctx.principal, input)),
  setValues: manage
    .input(valuesInput)
    .mutation(({ ctx, input }) => setProfileValues(ctx.deps, ctx.principal, input)),
  score: read
    .input(scoreInput)
    .query(({ ctx, input }) => scoreSubjects(ctx.deps, ctx.principal, input)),
  review: read
    .input(reviewInput)
    .query(({ ctx, input }) => reviewProfileWeights(ctx.deps, ctx.principal, input)),
});
