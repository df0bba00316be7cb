import type { Ref } from 'react';
import type { Partnership } from '../api/types.ts';
import { CodeOptions } from '../ui/bits.tsx';

export interface FilterState {
  stage: string;
  status: string;
  partner: string;
  amountMin: string;
  amountMax: string;
  closeFrom: string;
  closeTo: string;
  q: string;
  sort: 'updatedAt' | 'createdAt' | 'amount' | 'expectedCloseDate' | 'title';
  order: 'asc' | 'desc';
}

type Stage =
  | 'prospect'
  | 'qualified'
  | 'technical_validation'
  | 'business_validation'
  | 'committed'
  | 'won'
  | 'lost';
type Status = 'open' | 'won' | 'lost';

/** The filters as `opportunities.list` takes them; amounts are typed in major units (× 100). */
export function toListInput(f: FilterState) {
  const amount = (text: string) => {
    const n = Number(text.replace(/[,\s]/g, ''));
    return text.trim() !== '' && Number.isFinite(n) && n >= 0 ? Math.round(n * 100) : undefined;
  };
  return {
    ...(f.stage ? { stage: [f.stage as Stage] } : {}),
    ...(f.status ? { status: [f.status as Status] } : {}),
    ...(f.partner ? { partner: f.partner } : {}),
    ...(amount(f.amountMin) !== undefined ? { amountMin: amount(f.amountMin) } : {}),
    ...(amount(f.amountMax) !== undefined ? { amountMax: amount(f.amountMax) } : {}),
    ...(f.closeFrom ? { closeFrom: f.closeFrom } : {}),
    ...(f.closeTo ? { closeTo: f.closeTo } : {}),
    ...(f.q.trim() ? { q: f.q.trim() } : {}),
    sort: f.sort,
    order: f.order,
  };
}

export function Filters({
  value,
  onChange,
  partners,
  stages,
  statuses,
  searchRef,
}: {
  value: FilterState;
  onChange: (f: FilterState) => void;
  partners: Partnership[];
  stages: readonly string[];
  statuses: readonly string[];
  /** The search box, which `/` focuses. */
  searchRef?: Ref<HTMLInputElement>;
}) {
  const set = <K extends keyof FilterState>(key: K, v: FilterState[K]) =>
    onChange({ ...value, [key]: v });
  return (
    <form
      className="filters"
      role="search"
      aria-label="Filter deals"
      onSubmit={(e) => e.preventDefault()}
    >
      <label>
        Search
        <input
          ref={searchRef}
          type="search"
          aria-keyshortcuts="/"
          value={value.q}
          onChange={(e) => set('q', e.target.value)}
          placeholder="Title or customer"
        />
      </label>
      <label>
        Stage
        <select value={value.stage} onChange={(e) => set('stage', e.target.value)}>
          <option value="">Any stage</option>
          <CodeOptions codes={stages} />
        </select>
      </label>
      <label>
        Status
        <select value={value.status} onChange={(e) => set('status', e.target.value)}>
          <option value="">Any status</option>
          <CodeOptions codes={statuses} />
        </select>
      </label>
      <label>
        Partner
        <select value={value.partner} onChange={(e) => set('partner', e.target.value)}>
          <option value="">Any partner</option>
          {partners.map((p) => (
            <option key={p.id} value={p.partner.id ?? ''}>
              {p.partner.name ?? p.partner.slug}
            </option>
          ))}
        </select>
      </label>
      <label>
        Amount from
        <input
          inputMode="decimal"
          value={value.amountMin}
          onChange={(e) => set('amountMin', e.target.value)}
          placeholder="0"
        />
      </label>
      <label>
        Amount to
        <input
          inputMode="decimal"
          value={value.amountMax}
          onChange={(e) => set('amountMax', e.target.value)}
        />
      </label>
      <label>
        Closing from
        <input
          type="date"
          value={value.closeFrom}
          onChange={(e) => set('closeFrom', e.target.value)}
        />
      </label>
      <label>
        Closing to
        <input type="date" value={value.closeTo} onChange={(e) => set('closeTo', e.target.value)} />
      </label>
      <label>
        Sort by
        <select
          value={value.sort}
          onChange={(e) => set('sort', e.target.value as FilterState['sort'])}
        >
          <option value="updatedAt">Last change</option>
          <option value="createdAt">Created</option>
          <option value="amount">Amount</option>
          <option value="expectedCloseDate">Close date</option>
          <option value="title">Title</option>
        </select>
      </label>
      <label>
        Order
        <select
          value={value.order}
          onChange={(e) => set('order', e.target.value as FilterState['order'])}
        >
          <option value="desc">Descending</option>
          <option value="asc">Ascending</option>
        </select>
      </label>
    </form>
  );
}
