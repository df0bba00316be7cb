import { z } from 'zod';
import { canonicalJson } from '../../shared/ledger/canonical-json.ts';
import {
  mergePatch,
  opportunityFieldsSchema,
  opportunityPatchSchema,
  type OpportunityFields,
  type OpportunityPatch,
} from '../../shared/opportunities/opportunity-fields.ts';
import { isBackward, statusOfStage, type Stage } from '../../shared/opportunities/stages.ts';
import {
  businessDatesSchema,
  businessDateIssues,
  type BusinessDates,
  type DateIssue,
} from '../../shared/opportunities/business-dates.ts';
import type { Deps } from '../deps.ts';
import { DomainError } from '../core/domain-error.ts';
import { schemaIssues } from '../core/error-body.ts';
import { newId } from '../core/ids.ts';
import { parseInput } from '../core/parse-input.ts';
import type { Principal } from '../tenants/principal.ts';
import { requireDeal } from './deal-access.ts';
import { dealViews, type DealView } from './deal.view.ts';
import { writeDeals, type DealWrite } from './deal-writer.ts';
import { rowToDates, rowToFields } from './opportunity.mapper.ts';
import {
  dealIdByRef,
  dealIdsByRefs,
  findTwins,
  findTwinsOfMany,
  stepsOf,
  twinKey,
} from './opportunity.repository.ts';
import { shareInTx, shareTargetSchema } from './sharing.service.ts';

const externalRefSchema = z
  .string()
  .trim()
  .min(1)
  .max(200)
  .describe("the caller's own CRM id for the deal; private to the caller");

export const createDealInput = z.strictObject({
  fields: opportunityFieldsSchema,
  externalRef: externalRefSchema.optional(),
  shareWith: z.array(shareTargetSchema).max(20).default([]).describe('partners to invite now'),
  businessDates: businessDatesSchema.optional(),
});
export const updateDealInput = z.strictObject({
  id: z.string().min(1),
  patch: opportunityPatchSchema,
  expectedVersion: z
    .number()
    .int()
    .positive()
    .optional()
    .describe('refuse the write (412) unless the deal is still at this version'),
});
export const upsertDealInput = z.strictObject({
  externalRef: externalRefSchema,
  fields: opportunityFieldsSchema,
  shareWith: z.array(shareTargetSchema).max(20).default([]),
  businessDates: businessDatesSchema
    .optional()
    .describe("the deal's own dates from the CRM; replaces earlier ones, left out keeps them"),
});

/** The date issues of a create or upsert at `now` (see businessDateIssues). */
function dateIssues(
  input: { fields: OpportunityFields; businessDates?: BusinessDates | undefined },
  now: Date,
): DateIssue[] {
  return input.businessDates
    ? businessDateIssues(input.businessDates, input.fields, now.getTime())
    : [];
}

function refuseDates(issues: DateIssue[]): void {
  if (issues.length > 0)
    throw new DomainError(
      'ValidationFailed',
      `the deal's business dates do not hold together: ${issues.map((i) => `${i.path} ${i.message}`).join('; ')}`,
      issues,
    );
}
export const maxBatch = 1000;

/** The open deals of the actor's with this domain and title, other than `excludeId`. */
type TwinLookup = (
  w: DealWrite,
  input: { domain: string; title: string; excludeId: string },
) => Promise<string[]>;

const twinsOne: TwinLookup = (w, input) => findTwins(w.trx, w.actor, input);

/**
 * Twin lookups for a batch of upserts: one query for every new deal's domain and title up front,
 * then the batch's own new deals as they are made. Once the batch updates an existing deal (whose
 * title, domain or stage may move) it asks the database again, deal by deal.
 */
async function batchTwins(
  w: DealWrite,
  items: z.output<typeof upsertDealInput>[],
): Promise<{
  lookup: TwinLookup;
  created(id: string, fields: OpportunityFields): void;
  stale(): void;
}> {
  const pairs = items.flatMap((i) =>
    i.fields.customer.domain ? [{ domain: i.fields.customer.domain, title: i.fields.title }] : [],
  );
  const known = await findTwinsOfMany(w.trx, w.actor, pairs);
  let fresh = true;
  return {
    lookup: async (w2, input) =>
      fresh
        ? (known.get(twinKey(input.domain, input.title)) ?? []).filter(
            (id) => id !== input.excludeId,
          )
        : twinsOne(w2, input),
    created(id, fields) {
      const domain = fields.customer.domain;
      if (!domain || statusOfStage(fields.stage as Stage) !== 'open') return;
      const key = twinKey(domain, fields.title);
      known.set(key, [...(known.get(key) ?? []), id]);
    },
    stale() {
      fresh = false;
    },
  };
}

/**
 * `refChecked`: the caller already knows the externalRef is unused (an upsert looked it up).
 * `twins`: how to find the new deal's twins (a batch looks them up once for all its deals).
 */
async function createInTx(
  w: DealWrite,
  input: z.output<typeof createDealInput>,
  refChecked = false,
  twins: TwinLookup = twinsOne,
): Promise<string> {
  const id = newId('opp');
  if (input.externalRef && !refChecked && (await dealIdByRef(w.trx, w.actor, input.externalRef))) {
    throw new DomainError(
      'AlreadyExists',
      `you already have an opportunity with externalRef "${input.externalRef}"; update it instead`,
      [{ path: 'externalRef', message: 'already used' }],
    );
  }
  await w.emit(id, {
    type: 'opportunity.created',
    data: { originatorId: w.actor.companyId, fields: input.fields },
  });
  if (input.externalRef)
    await w.emit(id, { type: 'opportunity.ref_set', data: { externalRef: input.externalRef } });
  if (input.businessDates)
    await w.emit(id, { type: 'opportunity.dated', data: { dates: input.businessDates } });
  const domain = input.fields.customer.domain;
  const others = domain ? await twins(w, { domain, title: input.fields.title, excludeId: id }) : [];
  if (others.length > 0)
    await w.emit(id, { type: 'duplicate.flagged', data: { otherIds: others } });
  for (const target of input.shareWith) await shareInTx(w, id, target);
  return id;
}

/**
 * The top-level keys whose values differ: what an update records. A key `next` lacks is cleared
 * (null): a live edit that removes an optional field from the document leaves it out.
 */
export function changedFields(
  current: OpportunityFields,
  next: OpportunityFields,
): Partial<OpportunityFields> {
  const changes: Record<string, unknown> = {};
  const keys = new Set([...Object.keys(current), ...Object.keys(next)]);
  for (const key of keys as Set<keyof OpportunityFields>) {
    if (canonicalJson(current[key] ?? null) !== canonicalJson(next[key] ?? null))
      changes[key] = next[key] ?? null;
  }
  return changes as Partial<OpportunityFields>;
}

/** Returns what changed, and the CRM dates the deal held before. */
async function updateInTx(
  w: DealWrite,
  input: { id: string; patch: OpportunityPatch; expectedVersion?: number | undefined },
): Promise<{ changes: Partial<OpportunityFields>; dates: BusinessDates }> {
  const { deal } = await requireDeal(w.trx, w.actor, { dealId: input.id, need: 'full' });
  if (input.expectedVersion !== undefined && input.expectedVersion !== deal.version) {
    const [current] = await dealViews(w.trx, w.actor, [deal]);
    throw new DomainError(
      'PreconditionFailed',
      `the opportunity changed since version ${input.expectedVersion}; it is now at ${deal.version}`,
      undefined,
      current,
    );
  }
  const current = rowToFields(deal);
  const merged = parseInput(opportunityFieldsSchema, mergePatch(current, input.patch));
  const changes = changedFields(current, merged);
  const dates = rowToDates(deal);
  if (Object.keys(changes).length === 0) return { changes, dates };
  const backward =
    changes.stage !== undefined && isBackward(current.stage as Stage, merged.stage as Stage);
  await w.emit(input.id, {
    type: 'opportunity.updated',
    data: { changes, ...(backward ? { backward } : {}) },
  });
  await addFirstDealDebrief(w, input.id, merged);
  return { changes, dates };
}

/** A first deal gets a debrief step when it closes, won or lost, once. */
export async function addFirstDealDebrief(
  w: DealWrite,
  dealId: string,
  fields: OpportunityFields,
): Promise<void> {
  if (statusOfStage(fields.stage as Stage) === 'open') return;
  const first = await w.trx
    .selectFrom('opportunity_participants')
    .select('company_id')
    .where('opportunity_id', '=', dealId)
    .where('first_deal', '=', 1)
    .where('status', 'in', ['invited', 'accepted'])
    .executeTakeFirst();
  if (!first) return;
  if ((await stepsOf(w.trx, dealId)).some((s) => s.play === 'debrief')) return;
  const step = {
    id: newId('stp'),
    play: 'debrief',
    title: 'First-deal debrief with the partner',
    ownerCompanyId: w.actor.companyId,
    ownerPerson: null,
    dueDate: null,
    status: 'todo',
    outcome: null,
  };
  await w.emit(dealId, { type: 'step.added', data: { step } });
}

/**
 * `existing`: the deal the ref names, when the caller looked it up already (null: none).
 * `twins`: as for createInTx.
 */
async function upsertInTx(
  w: DealWrite,
  input: z.output<typeof upsertDealInput>,
  existing?: string | null,
  twins?: TwinLookup,
): Promise<string> {
  if (existing === undefined)
    existing = (await dealIdByRef(w.trx, w.actor, input.externalRef)) ?? null;
  if (!existing) return createInTx(w, input, true, twins);
  const { changes, dates } = await updateInTx(w, {
    id: existing,
    patch: input.fields as OpportunityPatch,
  });
  // The projection drops the CRM's close time when the stage or close date moves, so a push
  // that moves them records its dates again even when they read the same.
  const closeMoved = changes.stage !== undefined || changes.closeDate !== undefined;
  if (
    input.businessDates &&
    (canonicalJson(input.businessDates) !== canonicalJson(dates) ||
      (closeMoved && dates.closedAt !== undefined))
  )
    await w.emit(existing, { type: 'opportunity.dated', data: { dates: input.businessDates } });
  for (const target of input.shareWith) await shareInTx(w, existing, target);
  return existing;
}

async function viewOf(deps: Deps<'db'>, actor: Principal, id: string): Promise<DealView> {
  const { deal } = await requireDeal(deps.db, actor, { dealId: id, need: 'summary' });
  const [view] = await dealViews(deps.db, actor, [deal]);
  return view!;
}

/** Creates a deal (and invites partners). Raises ValidationFailed, AlreadyExists (externalRef), InvalidState (not a partner). */
export async function createDeal(
  deps: Deps<'db' | 'clock' | 'writes' | 'docs'>,
  actor: Principal,
  input: z.input<typeof createDealInput>,
): Promise<DealView> {
  const parsed = parseInput(createDealInput, input);
  refuseDates(dateIssues(parsed, deps.clock.now()));
  const id = await writeDeals(deps, actor, (w) => createInTx(w, parsed));
  return viewOf(deps, actor, id);
}

/** Changes only the fields sent. Raises NotFound, Forbidden, ValidationFailed, PreconditionFailed (stale expectedVersion). */
export async function updateDeal(
  deps: Deps<'db' | 'clock' | 'writes' | 'docs'>,
  actor: Principal,
  input: z.input<typeof updateDealInput>,
): Promise<DealView> {
  const parsed = parseInput(updateDealInput, input);
  await writeDeals(deps, actor, (w) => updateInTx(w, parsed));
  return viewOf(deps, actor, parsed.id);
}

/** Creates or updates by the caller's own CRM id; the same push twice changes nothing. */
export async function upsertDeal(
  deps: Deps<'db' | 'clock' | 'writes' | 'docs'>,
  actor: Principal,
  input: z.input<typeof upsertDealInput>,
): Promise<DealView> {
  const parsed = parseInput(upsertDealInput, input);
  refuseDates(dateIssues(parsed, deps.clock.now()));
  const id = await writeDeals(deps, actor, (w) => upsertInTx(w, parsed));
  return viewOf(deps, actor, id);
}

/**
 * Upserts up to 1,000 deals all-or-nothing: every item is validated first and every bad field of
 * every item is reported (`items.<n>.<path>`); one failure writes none.
 */
export async function batchUpsertDeals(
  deps: Deps<'db' | 'clock' | 'writes' | 'docs'>,
  actor: Principal,
  input: { items: unknown[] },
): Promise<{ results: { externalRef: string; id: string; version: number }[] }> {
  if (!Array.isArray(input.items) || input.items.length === 0 || input.items.length > maxBatch) {
    throw new DomainError('ValidationFailed', `send 1 to ${maxBatch} items`, [
      { path: 'items', message: `1 to ${maxBatch} items` },
    ]);
  }
  const parsed: z.output<typeof upsertDealInput>[] = [];
  const issues: { path: string; message: string }[] = [];
  const now = deps.clock.now();
  input.items.forEach((item, n) => {
    const result = upsertDealInput.safeParse(item);
    if (result.success) {
      parsed.push(result.data);
      for (const i of dateIssues(result.data, now))
        issues.push({ path: `items.${n}.${i.path}`, message: i.message });
    } else
      for (const i of schemaIssues(result.error.issues))
        issues.push({ path: `items.${n}.${i.path}`, message: i.message });
  });
  const refs = parsed.map((p) => p.externalRef);
  refs.forEach((ref, n) => {
    if (refs.indexOf(ref) !== n)
      issues.push({ path: `items.${n}.externalRef`, message: 'appears twice in this batch' });
  });
  if (issues.length > 0)
    throw new DomainError(
      'ValidationFailed',
      `${issues.length} invalid field(s) in the batch; nothing was written`,
      issues,
    );

  const ids = await writeDeals(deps, actor, async (w) => {
    const out: string[] = [];
    const known = await dealIdsByRefs(w.trx, w.actor, refs);
    const twins = await batchTwins(
      w,
      parsed.filter((item) => !known.has(item.externalRef)),
    );
    for (const [n, item] of parsed.entries()) {
      try {
        const existing = known.get(item.externalRef) ?? null;
        if (existing) twins.stale();
        const id = await upsertInTx(w, item, existing, twins.lookup);
        if (!existing) twins.created(id, item.fields);
        out.push(id);
      } catch (error) {
        if (error instanceof DomainError) {
          const prefixed = (error.issues ?? [{ path: '(root)', message: error.message }]).map(
            (i) => ({ path: `items.${n}.${i.path}`, message: i.message }),
          );
          throw new DomainError(
            error.code,
            `item ${n}: ${error.message}; nothing was written`,
            prefixed,
            error.details,
          );
        }
        throw error;
      }
    }
    return out;
  });
  const versions = await deps.db
    .selectFrom('opportunities')
    .select(['id', 'version'])
    .where('id', 'in', ids)
    .execute();
  const versionOf = new Map(versions.map((v) => [v.id, v.version]));
  return {
    results: parsed.map((p, n) => ({
      externalRef: p.externalRef,
      id: ids[n]!,
      version: versionOf.get(ids[n]!) ?? 0,
    })),
  };
}
