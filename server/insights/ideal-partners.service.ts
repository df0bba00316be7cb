import { z } from 'zod';
import type { IdealPartners } from '../../shared/insights/ideal-partner.schema.ts';
import {
  featureNames,
  minCycleSpreadDays,
  type DealShape,
} from '../../shared/insights/partner-features.ts';
import { explainRanking, thinRecord } from '../../shared/insights/partner-reasons.ts';
import { companyCycle } from '../../shared/insights/partner-stats.ts';
import { rankPartners, type Candidate } from '../../shared/insights/rank-partners.ts';
import { currencyExponents } from '../../shared/money/currencies.ts';
import { customerSchema, motions } from '../../shared/opportunities/opportunity-fields.ts';
import { currencySchema } from '../../shared/money/currencies.ts';
import type { Deps } from '../deps.ts';
import { parseInput } from '../core/parse-input.ts';
import { requireDeal } from '../opportunities/deal-access.ts';
import type { Principal } from '../tenants/principal.ts';
import { accountSignals, activePartners } from './insights.repository.ts';

const limit = z.number().int().min(1).max(500).default(10).describe('how many partners to return');
export const forDealInput = z.strictObject({ id: z.string().min(1), limit });
export const draftSchema = z
  .strictObject({
    customer: customerSchema.partial(),
    amountMinor: z.number().int().min(0).optional(),
    currency: currencySchema.optional(),
    motion: z.enum(motions).default('co_sell'),
  })
  .describe('The fields known so far of a deal not yet created');
export const forDraftInput = z.strictObject({ draft: draftSchema, limit });

type RankDeps = Deps<'db' | 'clock' | 'logger' | 'config' | 'insights'>;
type Draft = z.output<typeof draftSchema>;

function shapeOf(d: Draft): DealShape & { domain: string | null } {
  const exponent = d.currency ? (currencyExponents[d.currency] ?? 2) : 2;
  return {
    segment: d.customer.segment ?? null,
    industry: d.customer.industry ?? null,
    country: d.customer.country ?? null,
    domain: d.customer.domain ?? null,
    amount: (d.amountMinor ?? 0) / 10 ** exponent,
    motion: d.motion,
  };
}

async function rank(
  deps: RankDeps,
  actor: Principal,
  deal: DealShape & { domain: string | null },
  max: number,
): Promise<IdealPartners> {
  const insights = await deps.insights.get(deps, actor);
  const partners = await activePartners(deps.db, actor);
  const signals = deal.domain ? await accountSignals(deps.db, actor, [deal.domain]) : new Map();
  const candidates: Candidate[] = partners.map((p) => ({
    id: p.id,
    type: p.type,
    sharing: p.theyShare,
    account:
      p.theyShare === 'accounts' && deal.domain
        ? (signals.get(p.id)?.get(deal.domain) ?? null)
        : null,
  }));
  const now = deps.clock.now().getTime();
  const { stats, model } = insights;
  const { baseline, ranked, mean } = rankPartners(deal, now, candidates, stats, model);
  const byId = new Map(partners.map((p) => [p.id, p]));
  const candidateOf = new Map(candidates.map((c) => [c.id, c]));
  const shown = ranked.slice(0, max);
  const reasons = explainRanking(shown, { model, mean, stats, candidates: candidateOf, deal });
  // Cycle times only once the history's dates look like business dates.
  const cycles = companyCycle(stats.company).spreadDays >= minCycleSpreadDays;
  return {
    baseline,
    model: {
      source: model.source,
      trainingRows: model.trainingRows,
      builtAt: insights.builtAt.toISOString(),
      note: coldStartNote(model.source, model.trainingRows),
    },
    partners: shown.map((r, i) => {
      const p = byId.get(r.partnerId)!;
      const c = candidateOf.get(r.partnerId)!;
      const rec = stats.partners.get(r.partnerId);
      const seg = deal.segment === null ? undefined : rec?.bySegment.get(deal.segment);
      return {
        rank: i + 1,
        partner: { id: p.id, slug: p.slug, name: p.name, type: p.type, tier: p.tier },
        probability: r.probability,
        lift: r.probability - baseline,
        activated: r.x[featureNames.indexOf('activated')] === 1,
        reasons: reasons[i]!,
        record: {
          closed: rec?.closed.n ?? 0,
          won: rec?.closed.won ?? 0,
          segmentClosed: seg?.n ?? 0,
          segmentWon: seg?.won ?? 0,
          avgWonAmount: rec && rec.closed.won > 0 ? rec.wonAmountSum / rec.closed.won : null,
          avgCycleDays: cycles && rec && rec.cycleN > 0 ? rec.cycleDaysSum / rec.cycleN : null,
          open: rec ? rec.deals - rec.closed.n : 0,
          thin: (rec?.closed.n ?? 0) < thinRecord,
        },
        accounts: { theyShare: c.sharing, customerStatus: c.account },
      };
    }),
  };
}

/** What a seller should know about how much the ranking rests on: said plainly when it is little. */
function coldStartNote(source: 'prior' | 'learned', rows: number): string | null {
  if (source === 'prior')
    return `Only ${rows} closed deals with partners so far: the ranking uses the default weights and each partner's record shrunk toward your usual rate, so treat it as a starting point.`;
  if (rows < 300)
    return `Learned from ${rows} closed deals with partners: partners with few deals are ranked near your usual rate.`;
  return null;
}

/**
 * The company's active partners ranked for one of its deals by estimated probability of winning
 * with each, with reasons. Raises NotFound (not a participant), Forbidden (only invited).
 */
export async function idealPartnersForDeal(
  deps: RankDeps,
  actor: Principal,
  input: z.input<typeof forDealInput>,
): Promise<IdealPartners> {
  const { id, limit: max } = parseInput(forDealInput, input);
  const { deal } = await requireDeal(deps.db, actor, { dealId: id, need: 'full' });
  const exponent = currencyExponents[deal.currency] ?? 2;
  return rank(
    deps,
    actor,
    {
      segment: deal.customer_segment,
      industry: deal.customer_industry,
      country: deal.customer_country,
      domain: deal.customer_domain,
      amount: deal.amount_minor / 10 ** exponent,
      motion: deal.motion,
    },
    max,
  );
}

/** The same ranking for a deal being drafted (nothing is stored). Raises ValidationFailed. */
export async function idealPartnersForDraft(
  deps: RankDeps,
  actor: Principal,
  input: z.input<typeof forDraftInput>,
): Promise<IdealPartners> {
  const { draft, limit: max } = parseInput(forDraftInput, input);
  return rank(deps, actor, shapeOf(draft), max);
}

/** The weights the company's rankings use now: prior and in use, per signal. */
export async function partnerModelWeights(deps: RankDeps, actor: Principal) {
  const { model, builtAt } = await deps.insights.get(deps, actor);
  return {
    source: model.source,
    trainingRows: model.trainingRows,
    builtAt: builtAt.toISOString(),
    weights: featureNames.map((feature, i) => ({
      feature,
      prior: model.prior[i]!,
      weight: model.weights[i]!,
    })),
  };
}

/**
 * The ranking for a deal just created, for the create response: the seller sees whom to bring in
 * at once. The deal is already stored, so a failed ranking is logged and answered as null.
 */
export async function rankNewDeal(
  deps: RankDeps,
  actor: Principal,
  dealId: string,
): Promise<IdealPartners | null> {
  try {
    return await idealPartnersForDeal(deps, actor, { id: dealId, limit: 5 });
  } catch (error) {
    deps.logger.error({ err: error, dealId }, 'ideal partner ranking failed');
    return null;
  }
}
