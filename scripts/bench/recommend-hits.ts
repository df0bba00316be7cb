// `npx tsx scripts/bench/recommend-hits.ts [deals] [held-out]`: top-1 and top-3 hit rates of the
// Ideal Deal Partner ranking on held-out deals of a planted-truth history, against ranking partners
// by total won revenue. A hit: the partner that truly wins most often in the deal's segment.
import { idealPartnersForDraft } from '../../server/insights/ideal-partners.service.ts';
import { startTestServer } from '../../test/kit/harness.ts';
import {
  heldOutDrafts,
  revenueRank,
  seedPlantedHistory,
  trueBest,
} from '../../test/kit/planted-world.ts';

const deals = Number(process.argv[2] ?? 3000);
const heldOut = Number(process.argv[3] ?? 400);
const server = await startTestServer();
try {
  const { vendor } = await seedPlantedHistory(server.deps, {
    vendor: 'vendor',
    deals,
    seed: 8,
    now: new Date(),
  });
  const byRevenue = await revenueRank(server.deps, vendor.companyId);
  const hits = { top1: 0, top3: 0, base1: 0, base3: 0 };
  for (const draft of heldOutDrafts(99, heldOut)) {
    const best = trueBest(draft.customer.segment);
    const ranked = await idealPartnersForDraft(server.deps, vendor, { draft, limit: 3 });
    const slugs = ranked.partners.map((p) => p.partner.slug);
    if (slugs[0] === best) hits.top1++;
    if (slugs.includes(best)) hits.top3++;
    if (byRevenue[0] === best) hits.base1++;
    if (byRevenue.slice(0, 3).includes(best)) hits.base3++;
  }
  const pct = (n: number) => `${((100 * n) / heldOut).toFixed(1)}%`;
  process.stdout.write(
    [
      `history: ${deals} closed deals, 7 partners; held-out deals: ${heldOut}`,
      `revenue rank: ${byRevenue.join(' > ')}`,
      `| ranking | top-1 hit rate | top-3 hit rate |`,
      `|---|---|---|`,
      `| Ideal Deal Partner | ${pct(hits.top1)} | ${pct(hits.top3)} |`,
      `| by total won revenue | ${pct(hits.base1)} | ${pct(hits.base3)} |`,
      '',
    ].join('\n'),
  );
} finally {
  await server.stop();
}
