import { z } from 'zod';
import { attributionViewSchema } from '../../shared/attribution/attribution-view.schema.ts';
import { exportPreviewSchema } from '../../shared/attribution/export-preview.schema.ts';
import { router } from '../api/trpc/init.ts';
import { mcpTool, restRoute } from '../api/trpc/meta.ts';
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
import { exportPreview, previewInput } from './export-preview.ts';

const dealInput = z.strictObject({ dealId: z.string().min(1) });
const tags = ['attribution'];
const versionPath = '/opportunities/{dealId}/attribution/{version}';

export const attributionRouter = router({
  get: scopedProcedure('opportunities:read')
    .meta(
      restRoute({
        method: 'GET',
        path: '/opportunities/{dealId}/attribution',
        tags,
        summary: "A won deal's attribution versions: splits, signatures, disputes, the sealed one",
      }),
    )
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
    .output(attributionViewSchema)
    .query(({ ctx, input }) => getAttribution(ctx.deps, ctx.principal, input)),
  /** Needs opportunities:write or attribution:sign (checked in the service). */
  propose: authedProcedure
    .meta(
      restRoute(
        {
          method: 'POST',
          path: '/opportunities/{dealId}/attribution',
          tags,
          summary: 'Propose a split of a won deal (a new version that every participant signs)',
        },
        { created: true, precondition: { deal: 'dealId' } },
      ),
    )
    .input(proposeInput)
    .output(attributionViewSchema)
    .mutation(async ({ ctx, input }) => {
      await proposeAttribution(ctx.deps, ctx.principal, input);
      return getAttribution(ctx.deps, ctx.principal, input);
    }),
  sign: scopedProcedure('attribution:sign')
    .meta(
      restRoute({
        method: 'POST',
        path: `${versionPath}/sign`,
        tags,
        summary: "Sign a version with your company's held attestation key",
        description:
          'The version is sealed (and immutable) when the last participant signs; a later ' +
          'change is a new version that supersedes it.',
      }),
    )
    .input(versionInput)
    .output(attributionViewSchema)
    .mutation(async ({ ctx, input }) => {
      await signAttribution(ctx.deps, ctx.principal, input);
      return getAttribution(ctx.deps, ctx.principal, input);
    }),
  submitSignature: scopedProcedure('attribution:sign')
    .meta(
      restRoute({
        method: 'POST',
        path: `${versionPath}/signatures`,
        tags,
        summary: 'Submit a signature made with a key you hold (JWS protected header + signature)',
        description: 'Seals the version when it is the last one awaited, as signing does.',
      }),
    )
    .input(submitSignatureInput)
    .output(attributionViewSchema)
    .mutation(async ({ ctx, input }) => {
      await submitSignature(ctx.deps, ctx.principal, input);
      return getAttribution(ctx.deps, ctx.principal, input);
    }),
  exportPreview: scopedProcedure('export:read')
    .meta(
      restRoute({
        method: 'GET',
        path: '/attribution/export-preview',
        tags,
        summary: "What a period's finance export will hold: count, first records, totals",
        description:
          'The totals are the ones the signed manifest will carry (deal amounts per currency, ' +
          "each company's share per currency), with your own share; and the `tandem verify` " +
          'command that checks the downloaded file. Takes `period` or `from`/`to` as ' +
          '`/attribution/export.json` does.',
      }),
    )
    .input(previewInput)
    .output(exportPreviewSchema)
    .query(({ ctx, input }) => exportPreview(ctx.deps, ctx.principal, input)),
  dispute: scopedProcedure('attribution:sign')
    .meta(
      restRoute({
        method: 'POST',
        path: `${versionPath}/dispute`,
        tags,
        summary: 'Dispute a proposed version, with a reason',
      }),
    )
    .input(disputeInput)
    .output(attributionViewSchema)
    .mutation(async ({ ctx, input }) => {
      await disputeAttribution(ctx.deps, ctx.principal, input);
      return getAttribution(ctx.deps, ctx.principal, input);
    }),
});
