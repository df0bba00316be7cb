import { sql } from 'kysely';
import { z } from 'zod';
import { companiesOf, originOf } from '../../shared/ledger/log-origin.ts';
import { parseInput } from '../core/parse-input.ts';
import type { Deps } from '../deps.ts';
import { requireDeal } from '../opportunities/deal-access.ts';
import { duplicatesOf } from '../opportunities/opportunity.repository.ts';
import type { CompanyScope } from '../tenants/principal.ts';
import { jointCheckpoint } from './checkpoint.repository.ts';
import { entryOf, logsCaughtUp } from './log-integrator.ts';
import { base64, inclusionAt } from './proof.service.ts';

export const receiptInput = z.strictObject({ dealId: z.string().min(1) });

/**
 * Who was first, settled by the log: for each partner log of the caller that holds the deal,
 * the deal's first entry there (its registration, or the invitation that brought the partner in),
 * its leaf index, and its inclusion proof against the first checkpoint both companies cosigned
 * that covers it (null until both witnesses have cosigned one).
 */
export async function dealReceipts(
  deps: Deps<'db' | 'config' | 'transparency'>,
  scope: CompanyScope,
  input: z.input<typeof receiptInput>,
) {
  const { dealId } = parseInput(receiptInput, input);
  await requireDeal(deps.db, scope, { dealId, need: 'summary' });
  await logsCaughtUp(deps);
  // A possible duplicate's receipts too, where the caller may see it: which was registered first
  // is then read off the logs (leaf order in one log; across logs, when both witnesses vouched).
  const duplicates = [];
  for (const other of (await duplicatesOf(deps.db, [dealId])).get(dealId) ?? []) {
    const seen = await requireDeal(deps.db, scope, { dealId: other, need: 'summary' }).then(
      () => true,
      () => false,
    );
    if (seen) duplicates.push({ dealId: other, receipts: await receiptsOf(deps, scope, other) });
  }
  return { dealId, receipts: await receiptsOf(deps, scope, dealId), duplicates };
}

async function receiptsOf(deps: Deps<'db' | 'config'>, scope: CompanyScope, dealId: string) {
  const firsts = await deps.db
    .selectFrom('transparency_leaves as l')
    .innerJoin('ledger_events as e', 'e.seq', 'l.event_seq')
    .select(['l.log_id', sql<number>`min(l.idx)`.as('idx')])
    .where('e.deal_id', '=', dealId)
    .groupBy('l.log_id')
    .execute();
  const receipts = [];
  for (const first of firsts) {
    const companies = companiesOf(first.log_id);
    if (!companies.includes(scope.companyId)) continue;
    const idx = Number(first.idx);
    const leaf = await deps.db
      .selectFrom('transparency_leaves as l')
      .innerJoin('ledger_events as e', 'e.seq', 'l.event_seq')
      .selectAll('e')
      .where('l.log_id', '=', first.log_id)
      .where('l.idx', '=', idx)
      .executeTakeFirstOrThrow();
    const checkpoint = await jointCheckpoint(deps.db, first.log_id, { covering: idx });
    const proof = checkpoint
      ? (await inclusionAt(deps.db, first.log_id, [idx], checkpoint.size))[0]!.map(base64)
      : null;
    receipts.push({
      partnerId: companies.find((c) => c !== scope.companyId)!,
      origin: originOf(deps.config.publicUrl, first.log_id),
      leafIndex: idx,
      entry: entryOf(leaf),
      checkpoint: checkpoint
        ? { size: checkpoint.size, note: checkpoint.note, cosigned: checkpoint.cosigned }
        : null,
      proof,
      // The later of the two cosignatures: by then both companies had vouched for the entry.
      vouchedAt: checkpoint ? Object.values(checkpoint.cosigned).sort().at(-1)! : null,
    });
  }
  return receipts;
}
