import { z } from 'zod';
import { currencySchema } from '../money/currencies.ts';
import { normalizeDomain } from './customer-domain.ts';
import { lostReasons, stageRuleIssues, stages } from './stages.ts';

/** How the partners sell the deal together. */
export const motions = ['co_sell', 'resell', 'referral', 'marketplace'] as const;
export type Motion = (typeof motions)[number];

/** What a company is to a shared deal. */
export const participantRoles = [
  'originator',
  'co_seller',
  'reseller',
  'influencer',
  'fulfilment',
] as const;
export type ParticipantRole = (typeof participantRoles)[number];

/** Why an invited partner turns a deal down. */
export const declineReasons = ['duplicate', 'unable_to_support', 'unclear_need', 'other'] as const;
export type DeclineReason = (typeof declineReasons)[number];

/** Help asked of the partner, after ACE `PrimaryNeedsFromAws` (an empty list: no help needed). */
export const helpNeeds = [
  'architectural_validation',
  'business_presentation',
  'competitive_information',
  'pricing_assistance',
  'technical_consultation',
  'tco_evaluation',
  'deal_support',
  'rfx_support',
] as const;
export type HelpNeed = (typeof helpNeeds)[number];

export const segments = ['enterprise', 'mid_market', 'smb', 'public_sector'] as const;
export type Segment = (typeof segments)[number];

const amountMessage = 'an integer number of minor units, e.g. cents';
const isoDate = z.iso.date();

const customerName = z.string().trim().min(1).max(200).describe('Customer company name');
const customerDomain = z
  .string()
  .max(2048)
  .transform((value, ctx) => {
    const domain = normalizeDomain(value);
    if (domain === undefined) {
      ctx.addIssue({ code: 'custom', message: 'not a valid domain', input: value });
      return z.NEVER;
    }
    return domain;
  })
  .describe("Customer's web domain; a URL or e-mail address is reduced to it (example.com)");
const customerCountry = z
  .string()
  .trim()
  .toUpperCase()
  .regex(/^[A-Z]{2}$/, { error: 'an ISO 3166-1 alpha-2 country code, e.g. DE' })
  .describe('Customer country, ISO 3166-1 alpha-2 (upper-cased)');
const customerSegment = z.enum(segments).describe('Customer market segment');
const customerIndustry = z.string().trim().min(1).max(100).describe('Customer industry');

/** The customer of a deal; everything but the name is optional. */
export const customerSchema = z
  .strictObject({
    name: customerName,
    domain: customerDomain.optional(),
    country: customerCountry.optional(),
    segment: customerSegment.optional(),
    industry: customerIndustry.optional(),
  })
  .describe('The customer both partners sell to');
export type Customer = z.output<typeof customerSchema>;

/** A person at the customer. */
export const contactSchema = z
  .strictObject({
    name: z.string().trim().min(1).max(200).describe('Full name'),
    email: z.email().max(254).describe('E-mail address'),
    title: z.string().trim().max(200).optional().describe('Job title'),
    phone: z.string().trim().max(50).optional().describe('Phone number, free form'),
  })
  .describe('A customer contact');
export type Contact = z.output<typeof contactSchema>;

const title = z.string().trim().min(1).max(255).describe('Deal title');
const amountMinor = z
  .number({ error: amountMessage })
  .int({ error: amountMessage })
  .min(0, { error: amountMessage })
  .describe('Deal amount in integer minor units of `currency` (cents for USD, yen for JPY)');
const stage = z.enum(stages).describe('Lifecycle stage; won and lost close the deal');
const expectedCloseDate = isoDate.nullish().describe('When the deal is expected to close');
const closeDate = isoDate.nullish().describe('When the deal closed; required for won and lost');
const lostReason = z.enum(lostReasons).nullish().describe('Why the deal was lost; only when lost');
const products = z
  .array(z.string().trim().min(1).max(100))
  .max(50)
  .describe('Products or services in the deal');
const motion = z.enum(motions).describe('How the partners sell together');
const nextStep = z
  .string()
  .trim()
  .max(255)
  .nullish()
  .describe('The next action, at most 255 characters (the ACE NextSteps limit)');
const helpRequested = z
  .array(z.enum(helpNeeds))
  .max(10)
  .describe('Help asked of the partner; empty when none is needed');
const contacts = z.array(contactSchema).max(50).describe('Customer contacts');
const notes = z.string().max(20000).describe('Shared notes');

/**
 * The shared fields of a deal as a create or a full write sends them. Unknown keys are refused
 * (zod `unrecognized_keys` at the parent path, keys listed in the issue); defaults fill what is
 * left out; the stage rules of {@link stageRuleIssues} are checked across fields.
 */
export const opportunityFieldsSchema = z
  .strictObject({
    title,
    customer: customerSchema,
    amountMinor,
    currency: currencySchema,
    stage: stage.default('prospect'),
    expectedCloseDate,
    closeDate,
    lostReason,
    products: products.default(() => []),
    motion: motion.default('co_sell'),
    nextStep,
    helpRequested: helpRequested.default(() => []),
    contacts: contacts.default(() => []),
    notes: notes.default(''),
  })
  .superRefine((fields, ctx) => {
    for (const issue of stageRuleIssues(fields)) {
      ctx.addIssue({ code: 'custom', path: [issue.path], message: issue.message, input: fields });
    }
  })
  .describe('The shared fields of a co-sell opportunity');
export type OpportunityFields = z.output<typeof opportunityFieldsSchema>;
export type OpportunityFieldsInput = z.input<typeof opportunityFieldsSchema>;

/**
 * A change to some fields: each one optional, no defaults, unknown keys refused. `customer` is
 * itself partial, and `null` for one of its optional fields removes it. Stage rules are not
 * checked here: they hold for the merged result (see {@link mergePatch}).
 */
export const opportunityPatchSchema = z
  .strictObject({
    title: title.optional(),
    customer: z
      .strictObject({
        name: customerName.optional(),
        domain: customerDomain.nullish(),
        country: customerCountry.nullish(),
        segment: customerSegment.nullish(),
        industry: customerIndustry.nullish(),
      })
      .optional()
      .describe('Customer fields to change; null removes an optional one'),
    amountMinor: amountMinor.optional(),
    currency: currencySchema.optional(),
    stage: stage.optional(),
    expectedCloseDate,
    closeDate,
    lostReason,
    products: products.optional(),
    motion: motion.optional(),
    nextStep,
    helpRequested: helpRequested.optional(),
    contacts: contacts.optional(),
    notes: notes.optional(),
  })
  .describe('The fields to change; those left out stay as they are');
export type OpportunityPatch = z.output<typeof opportunityPatchSchema>;

/**
 * `current` with `patch` applied: customer fields merge one by one (null removes an optional
 * one), every other field sent replaces the current value, and fields left out (undefined) stay —
 * except that a patch moving the deal off `lost` without naming `lostReason` clears it, since
 * only a lost deal has one (so reopening is just `{ stage }`). Returns a new object sharing
 * nothing with its arguments; does not validate: parse the result with
 * {@link opportunityFieldsSchema} to check the stage rules.
 */
export function mergePatch(current: OpportunityFields, patch: OpportunityPatch): OpportunityFields {
  const { customer: customerPatch, ...rest } = patch;
  const sent = Object.fromEntries(Object.entries(rest).filter(([, v]) => v !== undefined));
  const customer: Record<string, unknown> = { ...current.customer };
  for (const [key, value] of Object.entries(customerPatch ?? {})) {
    if (value === null) delete customer[key];
    else if (value !== undefined) customer[key] = value;
  }
  const merged = structuredClone({ ...current, ...sent, customer }) as OpportunityFields;
  if (patch.lostReason === undefined && merged.stage !== 'lost' && merged.lostReason) {
    merged.lostReason = null;
  }
  return merged;
}

/** The fields a partner sees before it accepts an invitation (dotted paths). */
export const summaryFields = [
  'title',
  'customer.name',
  'customer.industry',
  'stage',
  'motion',
  'helpRequested',
] as const;

export interface OpportunitySummary {
  title: string;
  customer: { name: string; industry?: string };
  stage: OpportunityFields['stage'];
  motion: Motion;
  helpRequested: HelpNeed[];
}

/** Exactly the {@link summaryFields} of `f`, copied; an absent industry is left out. */
export function toSummary(f: OpportunityFields): OpportunitySummary {
  const { name, industry } = f.customer;
  return {
    title: f.title,
    customer: industry === undefined ? { name } : { name, industry },
    stage: f.stage,
    motion: f.motion,
    helpRequested: [...f.helpRequested],
  };
}
