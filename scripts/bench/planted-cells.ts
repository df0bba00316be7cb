import type { HistoryDeal } from '../../shared/insights/deal-history.ts';
import type { DealShape } from '../../shared/insights/partner-features.ts';
import { segments } from '../../shared/opportunities/opportunity-fields.ts';
import { seededRandom } from '../../shared/random/seeded-random.ts';
import type { PartnerType } from '../../shared/tenancy/tenancy.ts';

/**
 * A planted-truth co-sell history where partner lift lives in segment × industry cells. Each seed
 * draws its own world (about 5,000 closed deals and the open pipeline): 4–6 industries, the company's own rate per cell, one specialist (or two)
 * truly lifting each cell by 0.8–1.6 log-odds, per-cell noise of its own size, a high-volume
 * reseller with no lift, two paper partners with next to no deals, and skewed volumes. With
 * `lucky`, one partner has 72 closed deals and no true lift, but won 2.5 standard deviations more
 * of them than its true rates give (about a 1-in-160 record).
 */
export interface PlantedPartner {
  id: string;
  type: PartnerType;
  kind: 'volume' | 'specialist' | 'paper' | 'lucky';
  /** Relative share of the partner deals. */
  volume: number;
  size: number;
}

export interface CellWorld {
  partners: PlantedPartner[];
  industries: string[];
  deals: HistoryDeal[];
  /** Closed deals drawn like the history's but kept out of it: for calibration. */
  heldOut: HistoryDeal[];
  /** The true chance to win a deal of this cell with this partner. */
  truth(partnerId: string, segment: string, industry: string): number;
  /** The partner with the highest true chance in the cell. */
  best(segment: string, industry: string): string;
  /** New deals drawn like the history's, with a customer domain on about half. */
  drafts(n: number, seed: number): (DealShape & { domain: string | null })[];
  now: number;
}

export interface WorldOptions {
  seed: number;
  deals?: number;
  heldOut?: number;
  lucky?: boolean;
}

const day = 86_400_000;
const industryPool = ['Finance', 'Retail', 'Healthcare', 'Manufacturing', 'Energy', 'Media'];
const types: PartnerType[] = ['service', 'technology', 'marketplace', 'referral', 'oem'];
const motions = ['co_sell', 'resell', 'referral', 'marketplace'];
const sigmoid = (z: number) => 1 / (1 + Math.exp(-z));

export function plantedCellWorld(options: WorldOptions): CellWorld {
  const rnd = seededRandom(options.seed);
  const gauss = () => Math.sqrt(-2 * Math.log(1 - rnd.next())) * Math.cos(2 * Math.PI * rnd.next());
  const industries = industryPool.slice(0, 4 + rnd.int(0, 2));
  const cells = segments.flatMap((s) => industries.map((i) => `${s}|${i}`));
  const base = new Map(cells.map((c) => [c, -0.85 + 0.35 * gauss()]));
  const cellWeight = new Map(cells.map((c) => [c, 0.5 + rnd.next()]));
  const noise = 0.1 + 0.3 * rnd.next();
  const partners: PlantedPartner[] = [
    { id: 'p_volume', type: 'reseller', kind: 'volume', volume: 28, size: 120_000 },
    { id: 'p_paper1', type: 'referral', kind: 'paper', volume: 0, size: 30_000 },
    { id: 'p_paper2', type: 'technology', kind: 'paper', volume: 0, size: 30_000 },
  ];
  const specialists = options.lucky ? 8 : 9;
  for (let k = 0; k < specialists; k++)
    partners.push({
      id: `p_spec${k + 1}`,
      type: types[k % types.length]!,
      kind: 'specialist',
      volume: 3 + 9 * rnd.next(),
      size: 20_000 + rnd.int(0, 60_000),
    });
  if (options.lucky)
    partners.push({ id: 'p_lucky', type: 'service', kind: 'lucky', volume: 0, size: 40_000 });
  // Each specialist has a home row or column; each cell goes to one whose home it is when one can.
  const specs = partners.filter((p) => p.kind === 'specialist');
  const home = new Map(
    specs.map((p) => [p.id, rnd.next() < 0.5 ? rnd.pick(segments) : rnd.pick(industries)]),
  );
  const lift = new Map<string, number>();
  for (const c of cells) {
    const [s, i] = c.split('|') as [string, string];
    const local = specs.filter((p) => home.get(p.id) === s || home.get(p.id) === i);
    const owner = rnd.next() < 0.8 && local.length > 0 ? rnd.pick(local) : rnd.pick(specs);
    lift.set(`${owner.id}|${c}`, 0.8 + 0.8 * rnd.next());
  }
  const general = new Map(
    partners.map((p) => [
      p.id,
      p.kind === 'volume' ? 0.1 : p.kind === 'paper' ? -0.4 : 0.15 * gauss(),
    ]),
  );
  const jitter = new Map<string, number>();
  for (const p of partners)
    for (const c of cells)
      jitter.set(`${p.id}|${c}`, p.kind === 'specialist' ? noise * gauss() : 0);
  const truthLogit = (id: string, c: string) =>
    base.get(c)! + general.get(id)! + (lift.get(`${id}|${c}`) ?? 0) + jitter.get(`${id}|${c}`)!;
  const truth = (id: string, s: string, i: string) => sigmoid(truthLogit(id, `${s}|${i}`));
  const best = (s: string, i: string) =>
    partners.reduce((a, b) => (truth(b.id, s, i) > truth(a.id, s, i) ? b : a)).id;
  const now = Date.UTC(2026, 11, 1);
  const deals: HistoryDeal[] = [];
  const total = options.deals ?? 5400;
  const pickCell = (tilt?: string) =>
    rnd.weighted(
      cells.map(
        (c) => [c, cellWeight.get(c)! * (tilt && lift.has(`${tilt}|${c}`) ? 2 : 1)] as const,
      ),
    );
  const add = (partner: PlantedPartner | null, into = deals, fixed?: boolean) => {
    const c = pickCell(partner?.kind === 'specialist' ? partner.id : undefined);
    const [segment, industry] = c.split('|') as [string, string];
    const created = now - rnd.int(fixed === undefined ? 30 : 200, 900) * day;
    const p = partner ? sigmoid(truthLogit(partner.id, c)) : sigmoid(base.get(c)!);
    const won = fixed ?? rnd.next() < p;
    const closedAt = created + rnd.int(20, 180) * day;
    // Deals not closed by now are the open pipeline (held-out deals are all closed).
    const open = closedAt > now && into === deals;
    const n = into.length;
    into.push({
      id: `${into === deals ? 'd' : 'h'}${String(n).padStart(5, '0')}`,
      status: open ? 'open' : won ? 'won' : 'lost',
      createdAt: created,
      closedAt: open ? null : Math.min(now - day, closedAt),
      amount: Math.round((partner?.size ?? 40_000) * (0.5 + rnd.next())),
      currency: 'USD',
      segment,
      industry,
      country: rnd.pick(['US', 'DE', 'GB']),
      domain: `customer${n}.example`,
      motion: rnd.pick(motions),
      mine: true,
      partners: partner ? [{ id: partner.id, role: 'co_seller', firstDeal: false }] : [],
      lastStepDoneAt: null,
      debriefDone: false,
    });
  };
  const active = partners.filter((p) => p.volume > 0);
  const countWon = (id: string) =>
    deals.filter((d) => d.status === 'won' && d.partners[0]?.id === id).length;
  const paper = partners.filter((p) => p.kind === 'paper');
  const lucky = partners.find((p) => p.kind === 'lucky');
  const rest = total - 72 * (lucky ? 1 : 0) - 3;
  for (let k = 0; k < rest; k++)
    add(rnd.next() < 0.15 ? null : rnd.weighted(active.map((p) => [p, p.volume] as const)));
  for (let k = 0; k < 3; k++) add(paper[k % paper.length]!);
  // Luck: its 72 outcomes are drawn 1.2 log-odds above what it truly brings.
  if (lucky) {
    // Its expected wins and their spread over the cells it happens to get, then 2.5 sd more.
    const cellsOf = Array.from({ length: 72 }, () => pickCell());
    const ps = cellsOf.map((c) => sigmoid(truthLogit(lucky.id, c)));
    const mean = ps.reduce((a, b) => a + b, 0);
    const sd = Math.sqrt(ps.reduce((a, q) => a + q * (1 - q), 0));
    const wins = Math.round(mean + 2.5 * sd);
    for (let k = 0; k < 72; k++)
      add(lucky, deals, rnd.next() < (wins - countWon(lucky.id)) / (72 - k));
  }
  const heldOut: HistoryDeal[] = [];
  for (let k = 0; k < (options.heldOut ?? 0); k++)
    add(rnd.weighted(active.map((p) => [p, p.volume] as const)), heldOut);
  const drafts = (n: number, seed: number) => {
    const r = seededRandom(seed);
    return Array.from({ length: n }, (_, k) => {
      const c = r.weighted(cells.map((x) => [x, cellWeight.get(x)!] as const));
      const [segment, industry] = c.split('|') as [string, string];
      return {
        segment,
        industry,
        country: r.pick(['US', 'DE', 'GB']),
        amount: r.int(10_000, 150_000),
        motion: r.pick(motions),
        domain: r.next() < 0.5 ? `new${k}.example` : null,
      };
    });
  };
  return { partners, industries, deals, heldOut, truth, best, drafts, now };
}
