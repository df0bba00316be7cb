import { z } from 'zod';
import { stepInputSchema, stepPatchSchema } from '../../shared/opportunities/co-sell-steps.ts';
import type { Deps } from '../deps.ts';
import { DomainError, notFound } from '../core/domain-error.ts';
import { newId } from '../core/ids.ts';
import { parseInput } from '../core/parse-input.ts';
import { requireDeal } from '../opportunities/deal-access.ts';
import { writeDeals, type DealWrite } from '../opportunities/deal-writer.ts';
import { participationStatus } from '../opportunities/opportunity.repository.ts';
import type { Principal } from '../tenants/principal.ts';

export const addStepInput = z.strictObject({ dealId: z.string().min(1), step: stepInputSchema });
export const updateStepInput = z.strictObject({
  dealId: z.string().min(1),
  stepId: z.string().min(1),
  patch: stepPatchSchema,
});

/** A step is owned by a company taking part in the deal. */
async function assertOwner(w: DealWrite, dealId: string, ownerCompanyId: string): Promise<void> {
  if ((await participationStatus(w.trx, { dealId, companyId: ownerCompanyId })) !== 'accepted') {
    throw new DomainError(
      'ValidationFailed',
      'the owner must be a company taking part in the deal',
      [{ path: 'ownerCompanyId', message: 'not a participant of this deal' }],
    );
  }
}

/** Adds a step to the mutual plan. Raises NotFound, Forbidden, ValidationFailed. */
export async function addStep(
  deps: Deps<'db' | 'clock' | 'writes' | 'docs'>,
  actor: Principal,
  input: z.input<typeof addStepInput>,
): Promise<{ id: string }> {
  const { dealId, step } = parseInput(addStepInput, input);
  return writeDeals(deps, actor, async (w) => {
    await requireDeal(w.trx, actor, { dealId, need: 'full' });
    await assertOwner(w, dealId, step.ownerCompanyId);
    const id = newId('stp');
    await w.emit(dealId, {
      type: 'step.added',
      data: {
        step: {
          id,
          play: step.play,
          title: step.title ?? null,
          ownerCompanyId: step.ownerCompanyId,
          ownerPerson: step.ownerPerson ?? null,
          dueDate: step.dueDate ?? null,
          status: step.status,
          outcome: step.outcome ?? null,
        },
      },
    });
    return { id };
  });
}

/** Changes the fields of a step that were sent. Raises NotFound, Forbidden, ValidationFailed. */
export async function updateStep(
  deps: Deps<'db' | 'clock' | 'writes' | 'docs'>,
  actor: Principal,
  input: z.input<typeof updateStepInput>,
): Promise<{ id: string }> {
  const { dealId, stepId, patch } = parseInput(updateStepInput, input);
  return writeDeals(deps, actor, async (w) => {
    await requireDeal(w.trx, actor, { dealId, need: 'full' });
    const step = await w.trx
      .selectFrom('co_sell_steps')
      .select('id')
      .where('id', '=', stepId)
      .where('opportunity_id', '=', dealId)
      .executeTakeFirst();
    if (!step) throw notFound('step');
    if (patch.ownerCompanyId) await assertOwner(w, dealId, patch.ownerCompanyId);
    if (Object.keys(patch).length > 0)
      await w.emit(dealId, { type: 'step.updated', data: { stepId, changes: patch } });
    return { id: stepId };
  });
}
