import { describe, expect, it } from 'vitest';
import { dayMs, isClosed, type HistoryDeal } from '../../shared/insights/deal-history.ts';
import { fitsMotion } from '../../shared/insights/partner-features.ts';
import { trainModel } from '../../shared/insights/partner-model.ts';
import { explainRanking, segmentWord, type Reason } from '../../shared/insights/partner-reasons.ts';
import { buildStats } from '../../shared/insights/partner-stats.ts';
import { rankPartners, type Candidate } from '../../shared/insights/rank-partners.ts';
import { plantedCellWorld } from './planted-cells.ts';

type Draft = ReturnType<ReturnType<typeof plantedCellWorld>['drafts']>[number];

/** Ranks drafts and returns the reasons shown for the top `shown` partners of each. */
function explained(deals: HistoryDeal[], world: ReturnType<typeof plantedCellWorld>, shown = 5) {
  const stats = buildStats(deals);
  const types = new Map(world.partners.map((p) => [p.id, p.type]));
  const model = trainModel(deals, stats, (id) => types.get(id));
  // Two partners share their accounts; the customer is in one's list as a customer.
  const candidates = new Map<string, Candidate>(
    world.partners.map((p, i) => [
      p.id,
      {
        id: p.id,
        type: p.type,
        sharing: i < 2 ? 'accounts' : 'none',
        account: i === 0 ? 'customer' : null,
      },
    ]),
  );
  return world.drafts(150, 42).map((draft) => {
    const { ranked, mean } = rankPartners(draft, world.now, [...candidates.values()], stats, model);
    const top = ranked.slice(0, shown);
    const reasons = explainRanking(top, { model, mean, stats, candidates, deal: draft });
    return {
      draft,
      partners: top.map((r, i) => ({ id: r.partnerId, reasons: reasons[i]! })),
      candidates,
    };
  });
}

const pct = (won: number, n: number) => Math.round((100 * won) / n);

/** Checks one sentence against the raw deals it speaks of; returns what it could not confirm. */
function check(
  reason: Reason,
  partnerId: string,
  draft: Draft,
  deals: HistoryDeal[],
  candidate: Candidate,
  now: number,
): void {
  const withIt = deals.filter((d) => d.partners.some((p) => p.id === partnerId));
  const closedWith = withIt.filter(isClosed);
  const closedAll = deals.filter(isClosed);
  const seg = draft.segment!;
  const ind = draft.industry!;
  const scopes: Record<string, (d: HistoryDeal) => boolean> = {
    [`${segmentWord(seg)} ${ind} deals`]: (d) => d.segment === seg && d.industry === ind,
    [`${segmentWord(seg)} deals`]: (d) => d.segment === seg,
    [`${ind} deals`]: (d) => d.industry === ind,
    'closed deals': () => true,
  };
  const mixes: Record<string, (d: HistoryDeal) => boolean> = {
    [segmentWord(seg)]: (d) => d.segment === seg,
    [`in ${ind}`]: (d) => d.industry === ind,
    [`in ${draft.country}`]: (d) => d.country === draft.country,
    [`${segmentWord(seg)} ${ind}`]: (d) => d.segment === seg && d.industry === ind,
  };
  const text = reason.detail;
  let m: RegExpMatchArray | null;
  if ((m = text.match(/^won (\d+) of (\d+) (.+) with you; your average there is (\d+)%$/))) {
    const inScope = scopes[m[3]!]!;
    const theirs = closedWith.filter(inScope);
    expect([Number(m[1]), Number(m[2])]).toEqual([
      theirs.filter((d) => d.status === 'won').length,
      theirs.length,
    ]);
    const ours = closedAll.filter(inScope);
    expect(Number(m[4])).toBe(pct(ours.filter((d) => d.status === 'won').length, ours.length));
    // The narrowest scope where the partner has closed deals is the one cited.
    const narrower = Object.entries(scopes).slice(0, Object.keys(scopes).indexOf(m[3]!));
    for (const [, f] of narrower) expect(closedWith.filter(f)).toHaveLength(0);
  } else if ((m = text.match(/^only (\d+) closed deals? with you: too few to judge/))) {
    expect(Number(m[1])).toBe(closedWith.length);
    expect(closedWith.length).toBeLessThan(5);
  } else if (
    (m = text.match(/^(\d+) of its (\d+) deals with you are (.+), against (\d+)% of yours$/))
  ) {
    const f = mixes[m[3]!]!;
    expect([Number(m[1]), Number(m[2])]).toEqual([withIt.filter(f).length, withIt.length]);
    expect(Number(m[4])).toBe(pct(deals.filter(f).length, deals.length));
  } else if ((m = text.match(/^a (\w+) partner fits a (\w+) deal$/))) {
    expect([m[1], m[2]]).toEqual([candidate.type, draft.motion]);
    expect(fitsMotion(candidate.type, draft.motion)).toBe(true);
  } else if ((m = text.match(/^its (\d+) won deals with you average ([\d,]+)$/))) {
    const won = closedWith.filter((d) => d.status === 'won');
    expect(Number(m[1])).toBe(won.length);
    const avg = won.reduce((s, d) => s + d.amount, 0) / won.length;
    expect(Number(m[2]!.replaceAll(',', ''))).toBe(Math.round(avg));
  } else if (
    (m = text.match(
      /^its (\d+) closed deals with you took (\d+) days on average; yours take (\d+)$/,
    ))
  ) {
    const days = (ds: HistoryDeal[]) =>
      Math.round(ds.reduce((s, d) => s + (d.closedAt! - d.createdAt) / dayMs, 0) / ds.length);
    expect([Number(m[1]), Number(m[2]), Number(m[3])]).toEqual([
      closedWith.length,
      days(closedWith),
      days(closedAll),
    ]);
  } else if (/^(not )?activated: /.test(text)) {
    const wonLately = closedWith.some(
      (d) => d.status === 'won' && d.closedAt! < now && d.closedAt! >= now - 90 * dayMs,
    );
    expect(text.startsWith('activated')).toBe(wonLately);
  } else if ((m = text.match(/^(\d+) open deals with you now$/))) {
    expect(Number(m[1])).toBe(withIt.filter((d) => !isClosed(d)).length);
  } else if (text === 'the customer is in its accounts as a customer') {
    expect([candidate.sharing, candidate.account]).toEqual(['accounts', 'customer']);
  } else {
    throw new Error(`a reason no check knows: "${text}"`);
  }
}

describe('Ideal Deal Partner reasons', () => {
  it('says only what the deals it cites bear out, partner by partner', () => {
    const world = plantedCellWorld({ seed: 3, lucky: true });
    let sentences = 0;
    for (const { draft, partners, candidates } of explained(world.deals, world)) {
      for (const p of partners)
        for (const r of p.reasons) {
          check(r, p.id, draft, world.deals, candidates.get(p.id)!, world.now);
          sentences++;
        }
    }
    expect(sentences).toBeGreaterThan(1000);
  });

  it('gives no reason every shown partner shares, and puts the strongest push first', () => {
    const world = plantedCellWorld({ seed: 4 });
    for (const { partners } of explained(world.deals, world)) {
      for (const r of partners[0]!.reasons)
        expect(partners.every((p) => p.reasons.some((x) => x.detail === r.detail))).toBe(false);
      for (const p of partners) {
        const pushes = p.reasons.map((r) => Math.abs(r.contribution));
        expect(pushes).toEqual([...pushes].sort((a, b) => b - a));
      }
      expect(partners[0]!.reasons.length).toBeGreaterThan(0);
    }
  });

  it('says a paper partner is too new to judge and ranks it near the usual rate, not first', () => {
    const world = plantedCellWorld({ seed: 2 });
    const paper = world.partners.filter((p) => p.kind === 'paper').map((p) => p.id);
    for (const { partners } of explained(world.deals, world, world.partners.length)) {
      expect(paper).not.toContain(partners[0]!.id);
      for (const p of partners.filter((x) => paper.includes(x.id)))
        expect(p.reasons.map((r) => r.detail)).toContainEqual(
          expect.stringMatching(/^only \d closed deals? with you: too few to judge/),
        );
    }
  });

  it('says nothing of cycle times while every deal closes the day it is entered', () => {
    const world = plantedCellWorld({ seed: 5 });
    const sameDay = world.deals.map((d) => (isClosed(d) ? { ...d, closedAt: d.createdAt } : d));
    for (const { partners } of explained(sameDay, world))
      for (const p of partners)
        expect(p.reasons.filter((r) => r.factor === 'cycleTime' || / days/.test(r.detail))).toEqual(
          [],
        );
  });
});
