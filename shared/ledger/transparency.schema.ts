import { z } from 'zod';

/** A checkpoint as the API answers it: the signed note with every cosignature it has. */
export const checkpointViewSchema = z.object({
  origin: z.string(),
  size: z.number().int(),
  /** C2SP signed note: body, blank line, the log's line, then witness cosignature lines. */
  note: z.string(),
  /** companyId → when its witness cosigned. */
  cosigned: z.record(z.string(), z.string()),
  /** Both companies' witnesses have cosigned it. */
  joint: z.boolean(),
});

export const logViewSchema = z.object({
  partnershipId: z.string(),
  partnerId: z.string(),
  origin: z.string(),
  size: z.number().int(),
  latest: checkpointViewSchema.nullable(),
  latestJoint: checkpointViewSchema.nullable(),
});

export const receiptSchema = z.object({
  partnerId: z.string(),
  origin: z.string(),
  leafIndex: z.number().int(),
  /** The leaf's entry (RFC 8785 JSON of the event as both companies see it). */
  entry: z.string(),
  checkpoint: z
    .object({
      size: z.number().int(),
      note: z.string(),
      cosigned: z.record(z.string(), z.string()),
    })
    .nullable(),
  /** Base64 hashes, leaf to root (RFC 9162); null until a joint checkpoint covers the leaf. */
  proof: z.array(z.string()).nullable(),
  /** When the second company's witness cosigned that checkpoint: both vouched by then. */
  vouchedAt: z.string().nullable(),
});

export const witnessRoundSchema = z.object({
  checkpoint: checkpointViewSchema.nullable(),
  /** From the size asked for (`since`) to this checkpoint; base64 hashes. */
  consistency: z.array(z.string()),
});
