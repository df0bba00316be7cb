import type { DealDetail } from '../../../shared/opportunities/deal-view.schema.ts';
import type { ProcedureCall } from './procedure-call.ts';

/** One field a proposed change would alter. */
export interface FieldChange {
  field: string;
  from: unknown;
  to: unknown;
}

/** What a proposal answers: the diff, and the exact input the confirming call will run. */
export interface Preview {
  dealId: string;
  version: number;
  changes: FieldChange[];
  input: unknown;
}

interface UpdateInput {
  id: string;
  patch: Record<string, unknown>;
  expectedVersion?: number;
}

const same = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

/**
 * The diff of `opportunities.update` against the deal as the caller reads it now (through
 * `opportunities.get`, so a deal it cannot see is NotFound as anywhere else). The confirming call
 * runs with `expectedVersion` = the version diffed against, so if anyone changes the deal between
 * proposal and confirmation, the write is refused (412) instead of applying a diff nobody saw.
 */
export async function previewDealChange(
  call: ProcedureCall,
  parsed: unknown,
  sent: Record<string, unknown>,
): Promise<Preview> {
  // The diff shows values as they would be stored (a domain normalised); the write gets what
  // the agent sent, for the procedure to validate again.
  const { id, patch, expectedVersion } = parsed as UpdateInput;
  const deal = (await call('opportunities.get', { id })) as DealDetail;
  const current = (deal.fields ?? {}) as Record<string, unknown>;
  const changes: FieldChange[] = [];
  for (const [field, to] of Object.entries(patch)) {
    if (to === undefined) continue;
    if (field === 'customer' && to && typeof to === 'object') {
      const customer = (current.customer ?? {}) as Record<string, unknown>;
      for (const [key, value] of Object.entries(to)) {
        if (value !== undefined && !same(customer[key], value))
          changes.push({ field: `customer.${key}`, from: customer[key] ?? null, to: value });
      }
    } else if (!same(current[field], to)) {
      changes.push({ field, from: current[field] ?? null, to });
    }
  }
  return {
    dealId: deal.id,
    version: deal.version,
    changes,
    input: { ...sent, expectedVersion: expectedVersion ?? deal.version },
  };
}

/** The tools that only propose, by procedure: how each one's diff is made. */
export const previews: Record<
  string,
  (call: ProcedureCall, parsed: unknown, sent: Record<string, unknown>) => Promise<Preview>
> = {
  'opportunities.update': previewDealChange,
};
