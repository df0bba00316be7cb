import { minCycleSpreadDays, sharedFeatures, type FeatureName } from './partner-features.ts';
import {
  cellKey,
  companyCycle,
  type CompanyRecord,
  type HistoryStats,
  type PartnerRecord,
  type Tally,
} from './partner-stats.ts';
import type { PartnerModel } from './partner-model.ts';
import { signalsOf, type Candidate, type Ranked, type Signal } from './rank-partners.ts';

export interface Reason {
  factor: FeatureName;
  detail: string;
  /** Its push on this partner's score beyond the candidates' average (log-odds). */
  contribution: number;
}

/** Below this many closed deals with the company, a partner's record is too thin to judge. */
export const thinRecord = 5;
/** A signal that moves a partner by less than this against the others explains nothing. */
const minPush = 0.02;

const pct = (x: number) => `${Math.round(x * 100)}%`;
// One formatter: toLocaleString builds a new one on every call, which costs more than a ranking.
const amount = new Intl.NumberFormat('en', { maximumFractionDigits: 0 });
const segmentWords: Record<string, string> = {
  enterprise: 'enterprise',
  mid_market: 'mid-market',
  smb: 'SMB',
  public_sector: 'public-sector',
};
export const segmentWord = (s: string) => segmentWords[s] ?? s;

export interface ReasonContext {
  candidate: Candidate;
  record: PartnerRecord | undefined;
  company: CompanyRecord;
  deal: { segment: string | null; industry: string | null; country: string | null; motion: string };
}

/** The record a reason cites: the deal's cell if the partner has closed deals there, else wider. */
export function citedRecord(r: PartnerRecord, c: CompanyRecord, deal: ReasonContext['deal']) {
  const cell = cellKey(deal.segment, deal.industry);
  const pick = (where: string, theirs: Tally | undefined, ours: Tally | undefined) =>
    theirs && theirs.n > 0 ? { where, theirs, ours: ours ?? { n: 0, won: 0 } } : undefined;
  return (
    (cell === null
      ? undefined
      : pick(
          `${segmentWord(deal.segment!)} ${deal.industry!} deals`,
          r.byCell.get(cell),
          c.byCell.get(cell),
        )) ??
    (deal.segment === null
      ? undefined
      : pick(
          `${segmentWord(deal.segment)} deals`,
          r.bySegment.get(deal.segment),
          c.bySegment.get(deal.segment),
        )) ??
    (deal.industry === null
      ? undefined
      : pick(
          `${deal.industry} deals`,
          r.byIndustry.get(deal.industry),
          c.byIndustry.get(deal.industry),
        )) ?? {
      where: 'closed deals',
      theirs: r.closed,
      ours: c.closed,
    }
  );
}

function recordDetail({ record: r, company: c, deal }: ReasonContext): string {
  const n = r?.closed.n ?? 0;
  if (!r || n < thinRecord)
    return `only ${n} closed deal${n === 1 ? '' : 's'} with you: too few to judge, so it is ranked near your usual rate`;
  const { where, theirs, ours } = citedRecord(r, c, deal);
  const yours = ours.n > 0 ? `; your average there is ${pct(ours.won / ours.n)}` : '';
  return `won ${theirs.won} of ${theirs.n} ${where} with you${yours}`;
}

function mixDetail(
  theirs: Map<string, number> | undefined,
  ours: Map<string, number>,
  ctx: ReasonContext,
  key: string | null,
  what: string,
): string | null {
  const deals = ctx.record?.deals ?? 0;
  if (key === null || deals === 0 || ctx.company.deals === 0) return null;
  const k = theirs?.get(key) ?? 0;
  return `${k} of its ${deals} deals with you are ${what}, against ${pct((ours.get(key) ?? 0) / ctx.company.deals)} of yours`;
}

function accountDetail(c: Candidate): string | null {
  if (c.sharing !== 'accounts' || c.account === null) return null;
  return `the customer is in its accounts as ${c.account === 'customer' ? 'a customer' : `an ${c.account}`}`;
}

/** A sentence for one signal, or null when there is nothing true and specific to say. */
function sentence(name: FeatureName, s: Signal, ctx: ReasonContext): string | null {
  const { record: r, company: c, deal, candidate } = ctx;
  switch (name) {
    case 'bias':
    case 'dealBase':
    case 'customerInTheirPipeline':
      return null;
    case 'cellRecord':
      return recordDetail(ctx);
    case 'customerIsTheirCustomer':
      return accountDetail(candidate);
    case 'segmentFit':
      return deal.segment === null
        ? null
        : mixDetail(r?.segmentDeals, c.segmentDeals, ctx, deal.segment, segmentWord(deal.segment));
    case 'industryFit':
      return mixDetail(
        r?.industryDeals,
        c.industryDeals,
        ctx,
        deal.industry,
        `in ${deal.industry}`,
      );
    case 'regionFit':
      return mixDetail(r?.countryDeals, c.countryDeals, ctx, deal.country, `in ${deal.country}`);
    case 'cellFit':
      return deal.segment === null
        ? null
        : mixDetail(
            r?.cellDeals,
            c.cellDeals,
            ctx,
            cellKey(deal.segment, deal.industry),
            `${segmentWord(deal.segment)} ${deal.industry}`,
          );
    case 'motionFit':
      return s.value === 1 ? `a ${candidate.type} partner fits a ${deal.motion} deal` : null;
    case 'dealSizeFit':
      return r && r.closed.won > 0
        ? `its ${r.closed.won} won deals with you average ${amount.format(r.wonAmountSum / r.closed.won)}`
        : null;
    case 'cycleTime': {
      const cycle = companyCycle(c);
      if (!r || r.cycleN === 0 || cycle.spreadDays < minCycleSpreadDays) return null;
      return `its ${r.cycleN} closed deals with you took ${Math.round(r.cycleDaysSum / r.cycleN)} days on average; yours take ${Math.round(cycle.avgDays)}`;
    }
    case 'activated':
      return s.value === 1
        ? 'activated: a won deal with you in the last 90 days or a co-sell step in the last 30'
        : 'not activated: no won deal with you in the last 90 days nor a co-sell step in the last 30';
    case 'openLoad':
      return r ? `${r.deals - r.closed.n} open deals with you now` : null;
  }
}

/**
 * The signals that set this partner apart, in words, strongest push (against the candidates'
 * average) first. Signals equal for every partner say nothing and are left out; so are signals
 * with no true, specific sentence.
 */
export function partnerReasons(signals: Signal[], ctx: ReasonContext): Reason[] {
  const reasons: Reason[] = [];
  for (const s of signals) {
    if (sharedFeatures.includes(s.name)) continue;
    const contribution =
      s.name === 'customerIsTheirCustomer'
        ? s.relative + (signals.find((x) => x.name === 'customerInTheirPipeline')?.relative ?? 0)
        : s.relative;
    // The record is always said: it is the main signal, and "too few to judge" is news too.
    if (s.name !== 'cellRecord' && Math.abs(contribution) < minPush) continue;
    const detail = sentence(s.name, s, ctx);
    if (detail !== null) reasons.push({ factor: s.name, detail, contribution });
  }
  return reasons.sort((a, b) => Math.abs(b.contribution) - Math.abs(a.contribution));
}

/** Drops every reason whose sentence every shown partner has: it explains no choice between them. */
export function distinctReasons(lists: Reason[][]): Reason[][] {
  if (lists.length < 2) return lists;
  const [first, ...rest] = lists;
  const common = new Set(
    first!.map((r) => r.detail).filter((d) => rest.every((l) => l.some((r) => r.detail === d))),
  );
  return lists.map((l) => l.filter((r) => !common.has(r.detail)));
}

/** The reasons for each shown partner of a ranking, distinct between them. */
export function explainRanking(
  shown: readonly Ranked[],
  input: {
    model: PartnerModel;
    mean: Float64Array;
    stats: HistoryStats;
    candidates: ReadonlyMap<string, Candidate>;
    deal: ReasonContext['deal'];
  },
): Reason[][] {
  return distinctReasons(
    shown.map((r) =>
      partnerReasons(signalsOf(input.model, r.x, input.mean), {
        candidate: input.candidates.get(r.partnerId)!,
        record: input.stats.partners.get(r.partnerId),
        company: input.stats.company,
        deal: input.deal,
      }),
    ),
  );
}
