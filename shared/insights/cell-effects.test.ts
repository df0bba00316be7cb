import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fitCellEffects, logit, partnerLift, shrunk, tau2Of } from './cell-effects.ts';
import type { HistoryDeal } from './deal-history.ts';
import { buildStats, emptyStats } from './partner-stats.ts';

const group = fc
  .record({
    n: fc.integer({ min: 0, max: 400 }),
    e: fc.double({ min: 0.05, max: 0.95, noNaN: true }),
  })
  .chain(({ n, e }) => fc.integer({ min: 0, max: n }).map((won) => ({ n, won, e })));

function deals(partner: string, cell: [string, string], won: number, n: number, from: number) {
  return Array.from({ length: n }, (_, i): HistoryDeal => ({
    id: `${partner}-${cell.join('-')}-${from + i}`,
    status: i < won ? 'won' : 'lost',
    createdAt: from + i,
    closedAt: from + i + 1,
    amount: 1000,
    currency: 'USD',
    segment: cell[0],
    industry: cell[1],
    country: null,
    domain: null,
    motion: 'co_sell',
    mine: true,
    partners: partner ? [{ id: partner, role: 'co_seller', firstDeal: false }] : [],
    lastStepDoneAt: null,
    debriefDone: false,
  }));
}

describe('cell effects', () => {
  it('pulls a record toward its expected rate, never past it, and harder the fewer its deals', () => {
    fc.assert(
      fc.property(group, fc.double({ min: 0.005, max: 4, noNaN: true }), (g, tau2) => {
        const raw = logit((g.won + g.e) / (g.n + 1)) - logit(g.e);
        const s = shrunk(g, tau2);
        expect(Math.abs(s)).toBeLessThanOrEqual(Math.abs(raw) + 1e-12);
        expect(s * raw).toBeGreaterThanOrEqual(0);
        const bigger = { n: g.n * 4, won: g.won * 4, e: g.e };
        const rawBig = logit((bigger.won + g.e) / (bigger.n + 1)) - logit(g.e);
        expect(Math.abs(shrunk(bigger, tau2) / (rawBig || 1))).toBeGreaterThanOrEqual(
          Math.abs(s / (raw || 1)) - 1e-12,
        );
      }),
    );
  });

  it('estimates a between-partner variance that is never negative', () => {
    fc.assert(
      fc.property(fc.array(group), (gs) => {
        expect(tau2Of(gs)).toBeGreaterThan(0);
      }),
    );
  });

  it('gives a partner with no closed deals no lift anywhere', () => {
    const effects = fitCellEffects(emptyStats());
    expect(partnerLift(effects, 'nobody', 'smb', 'Retail')).toBe(0);
  });

  it('credits 30 wins in 40 deals in a cell more than 3 in 4, and not the cells next to it', () => {
    const history = [
      ...deals('', ['smb', 'Retail'], 90, 300, 0),
      ...deals('', ['enterprise', 'Retail'], 90, 300, 1000),
      ...deals('', ['smb', 'Finance'], 90, 300, 2000),
      ...deals('strong', ['smb', 'Retail'], 30, 40, 3000),
      ...deals('strong', ['enterprise', 'Finance'], 12, 40, 3100),
      ...deals('lucky', ['smb', 'Retail'], 3, 4, 3200),
      ...deals('lucky', ['enterprise', 'Finance'], 12, 40, 3300),
      ...['a', 'b', 'c', 'd'].flatMap((p, k) => [
        ...deals(p, ['smb', 'Retail'], 12, 40, 4000 + 100 * k),
        ...deals(p, ['enterprise', 'Finance'], 12, 40, 5000 + 100 * k),
      ]),
    ];
    const effects = fitCellEffects(buildStats(history));
    const strong = partnerLift(effects, 'strong', 'smb', 'Retail');
    expect(strong).toBeGreaterThan(0.5);
    expect(strong).toBeGreaterThan(partnerLift(effects, 'lucky', 'smb', 'Retail') + 0.3);
    expect(partnerLift(effects, 'strong', 'enterprise', 'Finance')).toBeLessThan(strong / 2);
  });
});
