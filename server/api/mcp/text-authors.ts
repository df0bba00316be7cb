import type { DealDetail } from '../../../shared/opportunities/deal-view.schema.ts';

/** A field of an answer whose text another company wrote last. */
export interface ForeignText {
  /** Dotted path in the tool's `result` (`fields.notes`, `steps.2.title`). */
  path: string;
  companyId: string;
  companySlug: string | null;
}

type Author = DealDetail['history'][number]['author'];

const fieldTexts = ['title', 'nextStep', 'notes', 'products', 'contacts'] as const;
const customerTexts = ['name', 'industry'] as const;
const stepTexts = ['title', 'outcome', 'ownerPerson'] as const;

/**
 * Who last wrote each free-text field of a deal, read from its own history (every change, live
 * edits included, is there with its author), keeping those another company wrote: the fields an
 * agent must treat as a partner's words.
 */
export function foreignTextOfDeal(deal: DealDetail, callerCompanyId: string): ForeignText[] {
  const writers = new Map<string, Author>();
  const set = (path: string, author: Author) => writers.set(path, author);
  for (const { type, data, author } of deal.history) {
    const d = (data ?? {}) as Record<string, unknown>;
    const changes =
      type === 'opportunity.created' ? d.fields : type === 'opportunity.updated' ? d.changes : null;
    if (changes && typeof changes === 'object') {
      const c = changes as Record<string, unknown>;
      for (const key of fieldTexts) if (key in c) set(`fields.${key}`, author);
      if (c.customer && typeof c.customer === 'object')
        for (const key of customerTexts)
          if (key in c.customer) set(`fields.customer.${key}`, author);
    }
    const step =
      type === 'step.added'
        ? { id: (d.step as { id?: unknown } | undefined)?.id, changes: d.step }
        : type === 'step.updated'
          ? { id: d.stepId, changes: d.changes }
          : null;
    if (step && typeof step.id === 'string' && step.changes && typeof step.changes === 'object') {
      for (const key of stepTexts) if (key in step.changes) set(`step:${step.id}.${key}`, author);
    }
  }
  const stepIndex = new Map(deal.steps.map((s, i) => [s.id, i]));
  const found: ForeignText[] = [];
  for (const [key, author] of writers) {
    if (author.companyId === callerCompanyId) continue;
    let path = key;
    if (key.startsWith('step:')) {
      const [id, field] = key.slice('step:'.length).split('.');
      const index = stepIndex.get(id ?? '');
      if (index === undefined) continue;
      path = `steps.${index}.${field}`;
    }
    found.push({ path, companyId: author.companyId, companySlug: author.companySlug });
  }
  return found;
}
