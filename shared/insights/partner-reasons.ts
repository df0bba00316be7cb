import type { FeatureName } from './partner-features.ts';
import type { Candidate, Signal } from './rank-partners.ts';
import type { PartnerRecord } from './partner-stats.ts';

export interface Reason {
  factor: FeatureName;
  detail: string;
  contribution: number;
}

const pct = (x: number) => `${Math.round(x * 100)}%`;
// One formatter: toLocaleString builds a new one on every call, which costs more than a ranking.
const amount = new Intl.NumberFormat('en', { maximumFractionDigits: 0 });

/** Each signal in words, strongest first; the bias says nothing about the partner and is left out. */
export function partnerReasons(
  signals: Signal[],
  c: Candidate,
  record: PartnerRecord | undefined,
  deal: { segment: string | null; motion: string },
): Reason[] {
  const seg = deal.segment === null ? undefined : record?.bySegment.get(deal.segment);
  const detail: Record<Exclude<FeatureName, 'bias'>, () => string> = {
    winRate: () =>
      record && record.closed.n > 0
        ? `won ${record.closed.won} of ${record.closed.n} closed deals with you (${pct(record.closed.won / record.closed.n)})`
        : 'no closed deals with you yet',
    segmentWinRate: () =>
      deal.segment === null
        ? 'the deal has no segment'
        : seg && seg.n > 0
          ? `in ${deal.segment}: won ${seg.won} of ${seg.n} (${pct(seg.won / seg.n)})`
          : `no closed ${deal.segment} deals with you yet`,
    customerIsTheirCustomer: () => accountDetail(c),
    customerInTheirPipeline: () => accountDetail(c),
    segmentFit: (v = value(signals, 'segmentFit')) =>
      `${pct(v)} of its deals with you are in ${deal.segment ?? 'an unknown segment'}`,
    industryFit: (v = value(signals, 'industryFit')) =>
      `${pct(v)} of its deals with you share the industry`,
    regionFit: (v = value(signals, 'regionFit')) =>
      `${pct(v)} of its deals with you share the country`,
    motionFit: () =>
      value(signals, 'motionFit') === 1
        ? `a ${c.type} partner fits a ${deal.motion} deal`
        : `a ${c.type} partner is not the usual fit for a ${deal.motion} deal`,
    dealSizeFit: () =>
      record && record.closed.won > 0
        ? `its won deals with you average ${amount.format(record.wonAmountSum / record.closed.won)}`
        : 'no won deals with you to compare the size with',
    cycleTime: () =>
      record && record.cycleN > 0
        ? `its deals close in ${Math.round(record.cycleDaysSum / record.cycleN)} days on average`
        : 'no cycle time yet',
    activated: () =>
      value(signals, 'activated') === 1
        ? 'activated: a recent win or co-sell step with you'
        : 'not activated: no win in 90 days nor co-sell step in 30',
    openLoad: () => `${record?.open ?? 0} open deals with you now`,
  };
  const reasons: Reason[] = [];
  for (const s of signals) {
    if (s.name === 'bias') continue;
    // One account reason, carrying both account signals.
    if (s.name === 'customerInTheirPipeline') continue;
    const contribution =
      s.name === 'customerIsTheirCustomer'
        ? s.contribution +
          (signals.find((x) => x.name === 'customerInTheirPipeline')?.contribution ?? 0)
        : s.contribution;
    reasons.push({ factor: s.name, detail: detail[s.name](), contribution });
  }
  return reasons.sort((a, b) => Math.abs(b.contribution) - Math.abs(a.contribution));
}

function value(signals: Signal[], name: FeatureName): number {
  return signals.find((s) => s.name === name)?.value ?? 0;
}

function accountDetail(c: Candidate): string {
  if (c.sharing !== 'accounts')
    return c.sharing === 'counts'
      ? 'shares only overlap counts with you: no signal about this customer'
      : 'does not share its accounts with you: no account signal';
  if (c.account === null) return 'the customer is not among the overlapping accounts it shares';
  return `the customer is in its accounts as ${c.account === 'customer' ? 'a customer' : `an ${c.account}`}`;
}
