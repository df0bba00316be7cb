import type { FilterState } from './filters.tsx';

/** No filter, the newest change first: the pipeline as it opens. */
export const emptyFilters: FilterState = {
  stage: '',
  status: '',
  partner: '',
  amountMin: '',
  amountMax: '',
  closeFrom: '',
  closeTo: '',
  q: '',
  sort: 'updatedAt',
  order: 'desc',
};

const sorts: readonly FilterState['sort'][] = [
  'updatedAt',
  'createdAt',
  'amount',
  'expectedCloseDate',
  'title',
];
const keys = Object.keys(emptyFilters) as (keyof FilterState)[];

/** The filters as a query string, defaults left out (`stage=won&sort=amount`). */
export function filtersToQuery(f: FilterState): string {
  const params = new URLSearchParams();
  for (const key of keys) if (f[key] !== emptyFilters[key]) params.set(key, f[key]);
  return params.toString();
}

/** The filters a query string names; anything unknown or malformed is left at its default. */
export function filtersFromQuery(query: string): FilterState {
  const params = new URLSearchParams(query);
  const f = { ...emptyFilters };
  for (const key of keys) {
    const v = params.get(key);
    if (v === null) continue;
    if (key === 'sort')
      f.sort = sorts.includes(v as FilterState['sort']) ? (v as FilterState['sort']) : f.sort;
    else if (key === 'order') f.order = v === 'asc' ? 'asc' : 'desc';
    else f[key] = v;
  }
  return f;
}

/** How many filters narrow the list (sorting is not one). */
export function activeFilterCount(f: FilterState): number {
  return keys.filter((k) => k !== 'sort' && k !== 'order' && f[k].trim() !== '').length;
}

/**
 * Puts the filters and the saved view in the address bar without a new history entry, so the
 * page can be bookmarked or shared and Back still leaves the pipeline in one step.
 */
export function writePipelineUrl(f: FilterState, viewId: string | undefined): void {
  const params = new URLSearchParams(filtersToQuery(f));
  if (viewId) params.set('view', viewId);
  const query = params.toString();
  history.replaceState(history.state, '', `${location.pathname}${query ? `?${query}` : ''}`);
}
