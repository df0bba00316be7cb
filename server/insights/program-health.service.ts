import { z } from 'zod';
import { programHealth, type ProgramHealth } from '../../shared/insights/program-health.ts';
import { currencySchema } from '../../shared/money/currencies.ts';
import { mostUsedCurrency, RateBook } from '../../shared/attribution/reporting-currency.ts';
import type { Deps } from '../deps.ts';
import { DomainError } from '../core/domain-error.ts';
import { parseInput } from '../core/parse-input.ts';
import type { Principal } from '../tenants/principal.ts';
import { activePartners, loadHistory } from './insights.repository.ts';
import { frozenRates, partnerSourced } from './reporting-currency.ts';
import { standingStatements } from './reporting.repository.ts';

export const healthInput = z
  .strictObject({
    from: z.iso.date().optional().describe('first day of the window; default a year before `to`'),
    to: z.iso.date().optional().describe('last day of the window; default today'),
    currency: currencySchema
      .optional()
      .describe(
        'the reporting currency: deals in others are converted at the rate frozen at close ' +
          '(see `conversion.rule`); default your most used one',
      ),
  })
  .optional();

const day = 86_400_000;

/**
 * The company's partner program over a window (see {@link programHealth}), from its own deals
 * read fresh (not the ranking's cache: figures here must match the ledger now), money in one
 * reporting currency at the rates its deals' attributions froze at close. Raises
 * ValidationFailed (bad dates, `from` after `to`).
 */
export async function getProgramHealth(
  deps: Deps<'db' | 'clock'>,
  actor: Principal,
  input: z.input<typeof healthInput>,
): Promise<ProgramHealth> {
  const parsed = parseInput(healthInput, input) ?? {};
  const to = parsed.to
    ? Date.parse(`${parsed.to}T23:59:59.999Z`)
    : Date.parse(`${deps.clock.now().toISOString().slice(0, 10)}T23:59:59.999Z`);
  const from = parsed.from ? Date.parse(`${parsed.from}T00:00:00Z`) : to + 1 - 365 * day;
  if (from > to)
    throw new DomainError('ValidationFailed', 'the window starts after it ends', [
      { path: 'from', message: 'after `to`' },
    ]);
  const [deals, partners, statements] = [
    await loadHistory(deps.db, actor),
    await activePartners(deps.db, actor),
    await standingStatements(deps.db, actor),
  ];
  const counts = new Map<string, number>();
  for (const d of deals) counts.set(d.currency, (counts.get(d.currency) ?? 0) + 1);
  const currency = parsed.currency ?? mostUsedCurrency(counts);
  return programHealth(
    deals,
    partners.map((p) => ({ id: p.id, slug: p.slug, name: p.name })),
    { from, to, currency, currencySource: parsed.currency ? 'requested' : 'most_used' },
    {
      book: new RateBook(currency, frozenRates(statements, actor.companyId, currency)),
      partnerSourced: partnerSourced(statements, actor.companyId),
    },
  );
}
