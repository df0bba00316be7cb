import { openStages } from '../../../../shared/opportunities/stages.ts';
import type { DealView } from '../../../../shared/opportunities/deal-view.schema.ts';
import type { Partnership } from '../api/types.ts';

const day = 86_400_000;

export interface ProgramData {
  byStage: { stage: string; coSold: number; direct: number }[];
  byPartner: { partner: string; open: number; won: number; lost: number }[];
  winRates: { group: string; winRate: number; deals: number }[];
  activity: { name: string; value: number }[];
  activated: string[];
  paper: string[];
  wonByQuarter: { quarter: string; coSold: number; direct: number }[];
  concentration: { name: string; value: number }[];
}

const quarterOf = (iso: string) =>
  `${iso.slice(0, 4)}-Q${Math.floor((Number(iso.slice(5, 7)) - 1) / 3) + 1}`;

/**
 * The program's shape from the company's own deals (what the API already gives): pipeline by
 * stage, each partner's record, co-sold vs direct win rates, activated vs paper partners (a won
 * deal in the last 90 days, or an open shared deal), wins by quarter, and deal concentration.
 */
export function programData(
  deals: DealView[],
  partnerships: Partnership[],
  myId: string,
  now = Date.now(),
): ProgramData {
  const partnersOf = (d: DealView) =>
    d.participants.filter((p) => p.company.id !== myId && p.status === 'accepted');
  const active = partnerships.filter((p) => p.status === 'active');
  const byStage = openStages.map((stage) => {
    const inStage = deals.filter((d) => d.summary.stage === stage);
    const coSold = inStage.filter((d) => partnersOf(d).length > 0).length;
    return { stage, coSold, direct: inStage.length - coSold };
  });
  const byPartner = active.map((p) => {
    const with_ = deals.filter((d) => partnersOf(d).some((x) => x.company.id === p.partner.id));
    return {
      partner: p.partner.name,
      open: with_.filter((d) => d.status === 'open').length,
      won: with_.filter((d) => d.status === 'won').length,
      lost: with_.filter((d) => d.status === 'lost').length,
    };
  });
  const rate = (ds: DealView[]) => {
    const closed = ds.filter((d) => d.status !== 'open');
    return {
      winRate: closed.length ? closed.filter((d) => d.status === 'won').length / closed.length : 0,
      deals: closed.length,
    };
  };
  const coSold = deals.filter((d) => partnersOf(d).length > 0);
  const direct = deals.filter((d) => partnersOf(d).length === 0);
  const winRates = [
    { group: 'Co-sold', ...rate(coSold) },
    { group: 'Direct', ...rate(direct) },
  ];
  const activated: string[] = [];
  const paper: string[] = [];
  for (const p of active) {
    const theirs = coSold.filter((d) => partnersOf(d).some((x) => x.company.id === p.partner.id));
    const recentWin = theirs.some(
      (d) =>
        d.status === 'won' &&
        now - new Date(d.fields?.closeDate ?? d.updatedAt).getTime() <= 90 * day,
    );
    const openDeal = theirs.some((d) => d.status === 'open');
    (recentWin || openDeal ? activated : paper).push(p.partner.name);
  }
  const quarters = new Map<string, { coSold: number; direct: number }>();
  for (const d of deals) {
    if (d.status !== 'won' || !d.fields?.closeDate) continue;
    const q = quarterOf(d.fields.closeDate);
    const entry = quarters.get(q) ?? { coSold: 0, direct: 0 };
    if (partnersOf(d).length > 0) entry.coSold++;
    else entry.direct++;
    quarters.set(q, entry);
  }
  const wonByQuarter = [...quarters]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([quarter, v]) => ({ quarter, ...v }));
  const wonBy = byPartner
    .map((p) => ({ name: p.partner, value: p.won }))
    .filter((p) => p.value > 0);
  wonBy.sort((a, b) => b.value - a.value);
  const top = wonBy.slice(0, 3);
  const rest = wonBy.slice(3).reduce((s, p) => s + p.value, 0);
  const concentration = rest > 0 ? [...top, { name: 'All others', value: rest }] : top;
  return {
    byStage,
    byPartner,
    winRates,
    activity: [
      { name: 'Activated', value: activated.length },
      { name: 'Paper', value: paper.length },
    ],
    activated,
    paper,
    wonByQuarter,
    concentration,
  };
}
