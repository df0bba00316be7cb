import { useRef, useState } from 'react';
import { flushSync } from 'react-dom';
import { dealStatuses, stages } from '../../../../shared/opportunities/stages.ts';
import type { DealView } from '../../../../shared/opportunities/deal-view.schema.ts';
import { useApp } from '../app-context.tsx';
import { Busy, ProblemNote } from '../ui/bits.tsx';
import { navigate } from '../ui/router.tsx';
import { useAction, useQuery } from '../ui/use-query.ts';
import { CreateDeal } from './create-deal.tsx';
import { cardId, DealList, rowId } from './deal-list.tsx';
import {
  activeFilterCount,
  emptyFilters,
  filtersFromQuery,
  filtersToQuery,
  writePipelineUrl,
} from './filter-query.ts';
import { Filters, toListInput, type FilterState } from './filters.tsx';
import { SavedViewsBar } from './saved-views-bar.tsx';
import { useSavedViews, type SavedView } from './saved-views.ts';
import { ShortcutsDialog } from './shortcuts-dialog.tsx';
import { usePipelineKeys } from './use-pipeline-keys.ts';
import './pipeline.css';
import { StageTotals } from './stage-totals.tsx';

/** The list the person sees: the table, or the cards on a phone (CSS hides the other). */
function visibleList(): HTMLElement | undefined {
  return Array.from(document.querySelectorAll<HTMLElement>('[data-deal-list]')).find(
    (el) => el.getClientRects().length > 0,
  );
}

/**
 * The company's shared deals: filter, sort, page, saved views; create one; accept invitations.
 * The filters live in the address bar; the keyboard drives it (use-pipeline-keys.ts).
 */
export function PipelinePage() {
  const { api, me, can } = useApp();
  const [filters, setFilters] = useState(() => filtersFromQuery(location.search));
  const [viewId, setViewId] = useState(
    () => new URLSearchParams(location.search).get('view') ?? undefined,
  );
  const saved = useSavedViews(me.company.id, me.principal.id);
  const [extra, setExtra] = useState<{ items: DealView[]; cursor: string | null }>();
  const [creating, setCreating] = useState(false);
  const [filtersOpen, setFiltersOpen] = useState(false);
  const [helpOpen, setHelpOpen] = useState(false);
  const [selectedId, setSelectedId] = useState<string>();
  const searchRef = useRef<HTMLInputElement>(null);
  const newDealRef = useRef<HTMLButtonElement>(null);
  const partnerships = useQuery(() => api.partnerships.list.query(), 'partnerships');
  const input = toListInput(filters);
  const list = useQuery(() => {
    setExtra(undefined);
    return api.opportunities.list.query({ ...input, limit: 50 });
  }, JSON.stringify(input));
  const more = useAction();
  const partners = (partnerships.data ?? []).filter((p) => p.status === 'active');
  const items = [...(list.data?.items ?? []), ...(extra?.items ?? [])];
  const cursor = extra ? extra.cursor : (list.data?.nextCursor ?? null);
  const mayCreate = can('opportunities:write');

  const view = saved.views.find((v) => v.id === viewId);
  const apply = (next: FilterState, id: string | undefined) => {
    setFilters(next);
    setViewId(id);
    writePipelineUrl(next, id);
  };
  const pick = (v: SavedView | undefined) =>
    apply(v ? filtersFromQuery(v.query) : emptyFilters, v?.id);

  const loadMore = async () => {
    if (!cursor) return;
    const page = await more.run(() =>
      api.opportunities.list.query({ ...input, limit: 50, cursor }),
    );
    if (page)
      setExtra({ items: [...(extra?.items ?? []), ...page.items], cursor: page.nextCursor });
  };

  const select = (id: string) => {
    setSelectedId(id);
    const listEl = visibleList();
    if (!listEl) return;
    listEl.focus({ preventScroll: true });
    const itemId = listEl.tagName === 'TABLE' ? rowId(id) : cardId(id);
    document.getElementById(itemId)?.scrollIntoView({ block: 'nearest' });
  };

  usePipelineKeys({
    move: (delta) => {
      if (items.length === 0) return;
      const at = items.findIndex((d) => d.id === selectedId);
      const next = at < 0 ? 0 : Math.min(items.length - 1, Math.max(0, at + delta));
      select(items[next]!.id);
    },
    open: () => {
      if (selectedId && items.some((d) => d.id === selectedId))
        navigate(`/deals/${encodeURIComponent(selectedId)}`);
    },
    search: () => {
      flushSync(() => setFiltersOpen(true));
      searchRef.current?.focus();
      searchRef.current?.select();
    },
    create: () => {
      if (!mayCreate) return;
      if (!creating) return setCreating(true);
      document.querySelector<HTMLElement>('form.create-deal input')?.focus();
    },
    help: () => setHelpOpen(true),
    escape: (target) => {
      if (target && target === searchRef.current) {
        target.blur();
        return true;
      }
      if (creating) {
        setCreating(false);
        newDealRef.current?.focus();
        return true;
      }
      if (selectedId) {
        setSelectedId(undefined);
        return true;
      }
      return false;
    },
  });

  const count = activeFilterCount(filters);
  return (
    <section aria-labelledby="pipeline-title" className="pipeline">
      <div className="page-head">
        <h1 id="pipeline-title">Pipeline</h1>
        <div className="page-actions">
          <button
            type="button"
            className="quiet shortcuts-button"
            aria-keyshortcuts="?"
            onClick={() => setHelpOpen(true)}
          >
            Keyboard shortcuts <kbd aria-hidden="true">?</kbd>
          </button>
          {mayCreate && (
            <button
              type="button"
              ref={newDealRef}
              aria-keyshortcuts="n"
              onClick={() => setCreating((c) => !c)}
              aria-expanded={creating}
            >
              {creating ? 'Close the new deal form' : 'New deal'}
            </button>
          )}
        </div>
      </div>
      {creating && (
        <CreateDeal
          partners={partners}
          onCreated={() => {
            setCreating(false);
            list.reload();
          }}
        />
      )}
      <button
        type="button"
        className="filters-toggle quiet"
        aria-expanded={filtersOpen}
        aria-controls="pipeline-filters"
        onClick={() => setFiltersOpen((o) => !o)}
      >
        Filters
        {count > 0 && (
          <span className="filter-count">
            {count}
            <span className="visually-hidden"> active</span>
          </span>
        )}
      </button>
      <div className="filter-panel" id="pipeline-filters" data-open={filtersOpen}>
        <SavedViewsBar
          views={saved.views}
          current={view}
          changed={!!view && view.query !== filtersToQuery(filters)}
          filtered={filtersToQuery(filters) !== ''}
          onPick={pick}
          onSave={(name) => {
            const id = saved.save(name, filtersToQuery(filters));
            apply(filters, id);
          }}
          onUpdate={(v) => saved.update(v.id, { query: filtersToQuery(filters) })}
          onRename={(v, name) => saved.update(v.id, { name })}
          onDelete={(v) => {
            saved.remove(v.id);
            apply(filters, undefined);
          }}
        />
        <Filters
          value={filters}
          onChange={(f) => apply(f, viewId)}
          partners={partners}
          stages={stages}
          statuses={dealStatuses}
          searchRef={searchRef}
        />
      </div>
      <StageTotals filters={input} />
      <ProblemNote problem={list.problem ?? partnerships.problem} />
      {list.loading && !list.data ? (
        <Busy>Loading deals…</Busy>
      ) : (
        <DealList
          items={items}
          myId={me.company.id}
          selectedId={selectedId}
          onSelect={setSelectedId}
          onChanged={list.reload}
        />
      )}
      {list.loading && list.data && <Busy>Updating…</Busy>}
      <ProblemNote problem={more.problem} />
      {cursor && (
        <button
          type="button"
          className="quiet"
          onClick={() => void loadMore()}
          disabled={more.busy}
        >
          {more.busy ? 'Loading…' : 'Show more deals'}
        </button>
      )}
      <ShortcutsDialog open={helpOpen} onClose={() => setHelpOpen(false)} />
    </section>
  );
}
