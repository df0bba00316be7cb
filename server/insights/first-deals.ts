import type { HistoryDeal } from '../../shared/insights/deal-history.ts';

/**
 * Marks, for each partner, the deal with it that began first by the deals' own dates (ties by
 * id), and only that one, as their first deal. The flag stored at invitation marks the first deal
 * Tandem was told about, which a CRM history pushed newest first would get wrong. In place.
 */
export function markFirstDeals(deals: HistoryDeal[]): void {
  const first = new Map<string, HistoryDeal>();
  for (const d of deals)
    for (const p of d.partners) {
      const seen = first.get(p.id);
      if (
        !seen ||
        d.createdAt < seen.createdAt ||
        (d.createdAt === seen.createdAt && d.id < seen.id)
      )
        first.set(p.id, d);
    }
  for (const d of deals) for (const p of d.partners) p.firstDeal = first.get(p.id) === d;
}
