import { z } from 'zod';

/** The typed plays of a mutual action plan, roughly in the order a deal meets them. */
export const plays = [
  'intro',
  'joint_qualification',
  'discovery',
  'executive_alignment',
  'technical_validation',
  'proposal',
  'marketplace_offer',
  'close',
  'debrief',
] as const;
export type Play = (typeof plays)[number];

export const stepStatuses = ['todo', 'doing', 'done', 'skipped'] as const;
export type StepStatus = (typeof stepStatuses)[number];

const play = z.enum(plays).describe('The kind of step');
const ownerCompanyId = z
  .string()
  .min(1)
  .max(100)
  .describe('The participant company that owns the step');
const ownerPerson = z
  .string()
  .trim()
  .max(200)
  .nullish()
  .describe('Who at the owning company does it, free form');
const dueDate = z.iso.date().nullish().describe('When the step is due');
const status = z.enum(stepStatuses).describe('Progress of the step');
const outcome = z.string().trim().max(2000).nullish().describe('What came of the step');
const title = z.string().trim().max(200).optional().describe('A title; the play name when absent');

/** A new step of the plan; unknown keys refused, `status` defaults to `todo`. */
export const stepInputSchema = z
  .strictObject({
    play,
    ownerCompanyId,
    ownerPerson,
    dueDate,
    status: status.default('todo'),
    outcome,
    title,
  })
  .describe('A co-sell step of the mutual plan');
export type StepInput = z.output<typeof stepInputSchema>;

/**
 * A change to a step: any field, none required, no defaults, unknown keys refused. The owner may
 * change hands; the server checks the new owner takes part in the deal.
 */
export const stepPatchSchema = z
  .strictObject({
    play: play.optional(),
    ownerCompanyId: ownerCompanyId.optional(),
    ownerPerson,
    dueDate,
    status: status.optional(),
    outcome,
    title,
  })
  .describe('The step fields to change');
export type StepPatch = z.output<typeof stepPatchSchema>;
