import { sigmoid } from './logistic-regression.ts';
import { cellKey, type CompanyRecord, type HistoryStats, type Tally } from './partner-stats.ts';

/**
 * Empirical-Bayes partner effects on the win rate, in log-odds over the company's own rate in the
 * deal's segment × industry cell: partner overall (a), partner × segment (b), partner × industry
 * (c) and partner × cell (d), each level shrunk toward the one above by how much true spread the
 * partners show at that level (the DerSimonian–Laird moment estimate). A partner with few deals
 * somewhere gets little of its raw record there; a level where partners truly differ keeps more.
 */
export interface PartnerEffects {
  a: number;
  seg: Map<string, number>;
  ind: Map<string, number>;
  cell: Map<string, number>;
}

export interface CellEffects {
  /** Between-partner variance per level (log-odds²): how far shrinkage trusts each level. */
  tau2: { partner: number; segment: number; industry: number; cell: number };
  partners: Map<string, PartnerEffects>;
}

export function logit(p: number): number {
  const q = Math.min(0.995, Math.max(0.005, p));
  return Math.log(q / (1 - q));
}

const smooth = (t: Tally | undefined, prior: number, k: number) =>
  ((t?.won ?? 0) + k * prior) / ((t?.n ?? 0) + k);

/** Pseudo-deals that pull the company's own rates toward the level above. */
const companyPull = 20;

/** The company's own win rate where the deal falls (log-odds), smoothed level by level. */
export function baseLogit(c: CompanyRecord, segment: string | null, industry: string | null) {
  const overall = logit(smooth(c.closed, 0.3, 2));
  const seg =
    segment === null
      ? null
      : logit(smooth(c.bySegment.get(segment), sigmoid(overall), companyPull));
  const ind =
    industry === null
      ? null
      : logit(smooth(c.byIndustry.get(industry), sigmoid(overall), companyPull));
  if (seg === null) return ind ?? overall;
  if (ind === null) return seg;
  const parent = sigmoid(seg + ind - overall);
  return logit(smooth(c.byCell.get(cellKey(segment, industry)!), parent, companyPull));
}

interface Group {
  won: number;
  n: number;
  /** Expected win rate from the levels above. */
  e: number;
}

// One pseudo-deal at the expected rate keeps the raw log-odds finite for 0 of n or n of n.
const rawDev = (g: Group) => logit((g.won + g.e) / (g.n + 1)) - logit(g.e);
const variance = (g: Group) => 1 / ((g.n + 1) * g.e * (1 - g.e));

/** Between-group variance by moments (DerSimonian–Laird), floored so a level never switches off. */
export function tau2Of(groups: readonly Group[]): number {
  let q = 0;
  let sw = 0;
  let sw2 = 0;
  for (const g of groups) {
    const w = 1 / variance(g);
    q += w * rawDev(g) ** 2;
    sw += w;
    sw2 += w * w;
  }
  if (groups.length < 2 || sw === 0) return 0.05;
  return Math.min(4, Math.max(0.005, (q - groups.length) / (sw - sw2 / sw)));
}

/** A group's posterior mean effect under a normal prior of variance `tau2`. */
export function shrunk(g: Group, tau2: number): number {
  return (rawDev(g) * tau2) / (tau2 + variance(g));
}

function keyParts(key: string): [string, string] {
  const i = key.indexOf('|');
  return [key.slice(0, i), key.slice(i + 1)];
}

/**
 * The expected rate of a set of a partner's deals under effects found so far: its cells' base
 * rates shifted by `shift(segment, industry)`, and the level's own base for deals without a cell.
 */
interface Cell {
  s: string;
  i: string;
  key: string;
  t: Tally;
}

function expected(
  cells: readonly Cell[],
  keep: (seg: string, ind: string) => boolean,
  total: Tally,
  fallback: number,
  rate: (seg: string, ind: string) => number,
): number {
  let sum = 0;
  let n = 0;
  for (const { s, i, t } of cells) {
    if (!keep(s, i)) continue;
    sum += t.n * rate(s, i);
    n += t.n;
  }
  const rest = Math.max(0, total.n - n);
  return total.n > 0 ? (sum + rest * fallback) / total.n : fallback;
}

/** Fits the four levels in turn on the stats' closed deals. */
export function fitCellEffects(stats: HistoryStats): CellEffects {
  const c = stats.company;
  const base = new Map<string, number>();
  const baseOf = (s: string, i: string) => {
    const k = `${s}|${i}`;
    let b = base.get(k);
    if (b === undefined) base.set(k, (b = baseLogit(c, s, i)));
    return b;
  };
  const out = new Map<string, PartnerEffects>();
  // Each partner's cells split once: the levels below walk them many times.
  const cellsOf = new Map<string, Cell[]>();
  const records = [...stats.partners].filter(([, r]) => r.closed.n > 0);
  for (const [id, r] of records)
    cellsOf.set(
      id,
      [...r.byCell].map(([key, t]) => {
        const [s, i] = keyParts(key);
        return { s, i, key, t };
      }),
    );
  for (const [id] of records)
    out.set(id, { a: 0, seg: new Map(), ind: new Map(), cell: new Map() });
  const all = () => true;
  const level = <K>(
    rows: { id: string; key: K; g: Group }[],
    set: (e: PartnerEffects, key: K, v: number) => void,
  ) => {
    const tau2 = tau2Of(rows.map((r) => r.g));
    for (const r of rows) set(out.get(r.id)!, r.key, shrunk(r.g, tau2));
    return tau2;
  };
  const overall = baseLogit(c, null, null);
  const partner = level(
    records.map(([id, r]) => ({
      id,
      key: null,
      g: {
        ...r.closed,
        e: expected(cellsOf.get(id)!, all, r.closed, sigmoid(overall), (s, i) =>
          sigmoid(baseOf(s, i)),
        ),
      },
    })),
    (e, _k, v) => (e.a = v),
  );
  const segRows = records.flatMap(([id, r]) =>
    [...r.bySegment].map(([seg, t]) => {
      const a = out.get(id)!.a;
      const fallback = sigmoid(baseLogit(c, seg, null) + a);
      const e = expected(
        cellsOf.get(id)!,
        (s) => s === seg,
        t,
        fallback,
        (s, i) => sigmoid(baseOf(s, i) + a),
      );
      return { id, key: seg, g: { ...t, e } };
    }),
  );
  const segment = level(segRows, (e, k, v) => e.seg.set(k, v));
  const indRows = records.flatMap(([id, r]) =>
    [...r.byIndustry].map(([ind, t]) => {
      const fx = out.get(id)!;
      const fallback = sigmoid(baseLogit(c, null, ind) + fx.a);
      const rate = (s: string, i: string) => sigmoid(baseOf(s, i) + fx.a + (fx.seg.get(s) ?? 0));
      const e = expected(cellsOf.get(id)!, (_s, i) => i === ind, t, fallback, rate);
      return { id, key: ind, g: { ...t, e } };
    }),
  );
  const industry = level(indRows, (e, k, v) => e.ind.set(k, v));
  const cellRows = records.flatMap(([id, r]) =>
    [...r.byCell].map(([key, t]) => {
      const [s, i] = keyParts(key);
      const fx = out.get(id)!;
      const e = sigmoid(baseOf(s, i) + fx.a + (fx.seg.get(s) ?? 0) + (fx.ind.get(i) ?? 0));
      return { id, key, g: { ...t, e } };
    }),
  );
  const cell = level(cellRows, (e, k, v) => e.cell.set(k, v));
  return { tau2: { partner, segment, industry, cell }, partners: out };
}

/** A partner's shrunk lift in the deal's cell over the company's own rate there (log-odds). */
export function partnerLift(
  effects: CellEffects,
  partnerId: string,
  segment: string | null,
  industry: string | null,
  key = cellKey(segment, industry),
): number {
  const fx = effects.partners.get(partnerId);
  if (!fx) return 0;
  return (
    fx.a +
    (segment === null ? 0 : (fx.seg.get(segment) ?? 0)) +
    (industry === null ? 0 : (fx.ind.get(industry) ?? 0)) +
    (key === null ? 0 : (fx.cell.get(key) ?? 0))
  );
}
