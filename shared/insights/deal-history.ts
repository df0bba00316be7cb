/**
 * One of a company's deals as the insights see it: the shared fields that matter for scoring and
 * the partners that took part (accepted participants other than the company). Times in ms.
 */
export interface HistoryDeal {
  id: string;
  status: 'open' | 'won' | 'lost';
  createdAt: number;
  /** The close date (won or lost), else null. */
  closedAt: number | null;
  /** In major units of `currency`, so deals in different currencies are roughly comparable. */
  amount: number;
  currency: string;
  segment: string | null;
  industry: string | null;
  country: string | null;
  domain: string | null;
  motion: string;
  /** Whether the company itself created the deal (a partner-originated deal was partner-sourced). */
  mine: boolean;
  partners: { id: string; role: string; firstDeal: boolean }[];
  /** When a co-sell step of the deal was last marked done, if ever. */
  lastStepDoneAt: number | null;
  /** Whether a debrief step is done (first deals owe one when they close). */
  debriefDone: boolean;
}

export const dayMs = 86_400_000;

export function isClosed(d: HistoryDeal): boolean {
  return d.status !== 'open' && d.closedAt !== null;
}
