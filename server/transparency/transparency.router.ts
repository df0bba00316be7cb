import { z } from 'zod';
import {
  checkpointViewSchema,
  logViewSchema,
  receiptSchema,
  witnessRoundSchema,
} from '../../shared/ledger/transparency.schema.ts';
import { router } from '../api/trpc/init.ts';
import { restRoute } from '../api/trpc/meta.ts';
import { scopedProcedure } from '../api/trpc/procedures.ts';
import {
  checkpointView,
  consistencyProofOf,
  inclusionProofOf,
  listLogs,
  logKey,
  logOf,
  witnessCheckpoint,
} from './log.service.ts';
import { dealReceipts, receiptInput } from './receipt.service.ts';
import {
  alarmInput,
  alarmsOf,
  cosignInput,
  registerWitnessKey,
  reportAlarm,
  submitCosignature,
  witnessKeyInput,
  witnessKeysOf,
} from './witness.service.ts';

const tags = ['transparency'];
const read = scopedProcedure('partners:read');
const witness = scopedProcedure('partners:manage');
const admin = scopedProcedure('company:admin');

const partnershipId = z.string().min(1).describe('The partnership whose log it is');
const size = z.coerce.number().int().nonnegative();

export const transparencyRouter = router({
  logKey: read
    .meta(
      restRoute({
        method: 'GET',
        path: '/transparency/log-key',
        tags,
        summary: "The log's note key (a vkey)",
      }),
    )
    .input(z.strictObject({}).optional())
    .output(z.object({ vkey: z.string() }))
    .query(({ ctx }) => logKey(ctx.deps)),
  logs: read
    .meta(
      restRoute({
        method: 'GET',
        path: '/transparency/logs',
        tags,
        summary: 'Your partnership logs and their checkpoints',
      }),
    )
    .input(z.strictObject({}).optional())
    .output(z.array(logViewSchema))
    .query(({ ctx }) => listLogs(ctx.deps, ctx.principal)),
  checkpoint: witness
    .meta(
      restRoute({
        method: 'POST',
        path: '/partnerships/{partnershipId}/log/checkpoints',
        tags,
        summary:
          'Sign a checkpoint of the log as it is now; with `since`, the consistency proof from that size',
      }),
    )
    .input(z.strictObject({ partnershipId, since: size.optional() }))
    .output(witnessRoundSchema)
    .mutation(({ ctx, input }) => witnessCheckpoint(ctx.deps, ctx.principal, input)),
  inclusion: read
    .meta(
      restRoute({
        method: 'GET',
        path: '/partnerships/{partnershipId}/log/inclusion',
        tags,
        summary: 'The inclusion proof of a leaf in the tree of a given size',
      }),
    )
    .input(z.strictObject({ partnershipId, index: size, size }))
    .output(z.object({ proof: z.array(z.string()) }))
    .query(({ ctx, input }) => inclusionProofOf(ctx.deps, ctx.principal, input)),
  consistency: read
    .meta(
      restRoute({
        method: 'GET',
        path: '/partnerships/{partnershipId}/log/consistency',
        tags,
        summary: 'The consistency proof between two tree sizes',
      }),
    )
    .input(z.strictObject({ partnershipId, from: size, to: size }))
    .output(z.object({ proof: z.array(z.string()) }))
    .query(({ ctx, input }) => consistencyProofOf(ctx.deps, ctx.principal, input)),
  cosign: witness
    .meta(
      restRoute({
        method: 'POST',
        path: '/partnerships/{partnershipId}/log/cosignatures',
        tags,
        summary: "Your witness's cosignature of a checkpoint",
      }),
    )
    .input(cosignInput.extend({ partnershipId }))
    .output(checkpointViewSchema)
    .mutation(async ({ ctx, input }) => {
      const { partnershipId: id, ...rest } = input;
      const logId = await logOf(ctx.deps, ctx.principal, id);
      return checkpointView(
        ctx.deps,
        await submitCosignature(ctx.deps, ctx.principal, logId, rest),
      )!;
    }),
  reportAlarm: witness
    .meta(
      restRoute({
        method: 'POST',
        path: '/partnerships/{partnershipId}/log/alarms',
        tags,
        summary: 'Your witness refuses the log: what it saw',
      }),
    )
    .input(alarmInput.extend({ partnershipId }))
    .output(z.object({ id: z.string() }))
    .mutation(async ({ ctx, input }) => {
      const logId = await logOf(ctx.deps, ctx.principal, input.partnershipId);
      return reportAlarm(ctx.deps, ctx.principal, logId, { detail: input.detail });
    }),
  alarms: admin
    .meta(
      restRoute({
        method: 'GET',
        path: '/transparency/alarms',
        tags,
        summary: 'What your witness refused',
      }),
    )
    .input(z.strictObject({}).optional())
    .output(
      z.array(
        z.object({ id: z.string(), logId: z.string(), detail: z.string(), reportedAt: z.string() }),
      ),
    )
    .query(({ ctx }) => alarmsOf(ctx.deps.db, ctx.principal.companyId)),
  registerWitnessKey: admin
    .meta(
      restRoute(
        {
          method: 'POST',
          path: '/transparency/witness-keys',
          tags,
          summary: "Register your witness's public key",
        },
        { created: true },
      ),
    )
    .input(witnessKeyInput)
    .output(z.object({ keyId: z.string(), vkey: z.string() }))
    .mutation(({ ctx, input }) => registerWitnessKey(ctx.deps, ctx.principal, input)),
  witnessKeys: read
    .meta(
      restRoute({
        method: 'GET',
        path: '/transparency/witness-keys',
        tags,
        summary: 'Your witness keys',
      }),
    )
    .input(z.strictObject({}).optional())
    .output(
      z.array(
        z.object({
          keyId: z.string(),
          vkey: z.string(),
          createdAt: z.string(),
          retiredAt: z.string().nullable(),
        }),
      ),
    )
    .query(({ ctx }) => witnessKeysOf(ctx.deps.db, ctx.principal.companyId)),
  receipt: scopedProcedure('opportunities:read')
    .meta(
      restRoute({
        method: 'GET',
        path: '/opportunities/{dealId}/receipt',
        tags,
        summary: "The deal's registration in each partner log, with its inclusion proof",
      }),
    )
    .input(receiptInput)
    .output(
      z.object({
        dealId: z.string(),
        receipts: z.array(receiptSchema),
        /** The deal's possible duplicates the caller may see, with their receipts. */
        duplicates: z.array(z.object({ dealId: z.string(), receipts: z.array(receiptSchema) })),
      }),
    )
    .query(({ ctx, input }) => dealReceipts(ctx.deps, ctx.principal, input)),
});
