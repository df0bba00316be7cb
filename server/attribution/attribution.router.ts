import { z } from 'zod';
import { router } from '../api/trpc/init.ts';
import { mcpTool } from '../api/trpc/meta.ts';
import { authedProcedure, scopedProcedure } from '../api/trpc/procedures.ts';
import { getAttribution } from './attribution.query.ts';
import {
  disputeAttribution,
  disputeInput,
  proposeAttribution,
  proposeInput,
  signAttribution,
  submitSignature,
  submitSignatureInput,
  versionInput,
} from './attribution.service.ts';

const dealInput = z.strictObject({ dealId: z.string().min(1) });

export const attributionRouter = router({
  get: scopedProcedure('opportunities:read')
    .meta(
      mcpTool({
        name: 'attribution_status',
        title: 'Attribution status of a deal',
        description:
          "A won deal's attribution versions, newest first: the split, which companies have " +
          'signed, which are still awaited, disputes with their reasons, and whether the sealed ' +
          'version needs a new one. Signing stays with people (finance).',
      }),
    )
    .input(dealInput)
    .query(({ ctx, input }) => getAttribution(ctx.deps, ctx.principal, input)),
  /** Needs opportunities:write or attribution:sign (checked in the service). */
  propose: authedProcedure.input(proposeInput).mutation(async ({ ctx, input }) => {
    await proposeAttribution(ctx.deps, ctx.principal, input);
    return getAttribution(ctx.deps, ctx.principal, input);
  }),
  sign: scopedProcedure('attribution:sign')
    .input(versionInput)
    .mutation(async ({ ctx, input }) => {
      await signAttribution(ctx.deps, ctx.principal, input);
      return getAttribution(ctx.deps, ctx.principal, input);
    }),
  submitSignature: scopedProcedure('attribution:sign')
    .input(submitSignatureInput)
    .mutation(async ({ ctx, input }) => {
      await submitSignature(ctx.deps, ctx.principal, input);
      return getAttribution(ctx.deps, ctx.principal, input);
    }),
  dispute: scopedProcedure('attribution:sign')
    .input(disputeInput)
    .mutation(async ({ ctx, input }) => {
      await disputeAttribution(ctx.deps, ctx.principal, input);
      return getAttribution(ctx.deps, ctx.principal, input);
    }),
});
