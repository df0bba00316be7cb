import { useState } from 'react';
import { dealStatuses, stages } from '../../../../shared/opportunities/stages.ts';
import type { DealView } from '../../../../shared/opportunities/deal-view.schema.ts';
import { useApp } from '../app-context.tsx';
import { Badge, Busy, ProblemNote } from '../ui/bits.tsx';
import { date, label, money } from '../ui/format.ts';
import { Link } from '../ui/router.tsx';
import { useAction, useQuery } from '../ui/use-query.ts';
import { CreateDeal } from './create-deal.tsx';
import { Filters, toListInput, type FilterState } from './filters.tsx';
import { StageTotals } from './stage-totals.tsx';

const initial: FilterState = {
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

/** The company's shared deals: filter, sort, page; create one; accept invitations. */
export function PipelinePage() {
  const { api, me, can } = useApp();
  const [filters, setFilters] = useState(initial);
  const [extra, setExtra] = useState<{ items: DealView[]; cursor: string | null }>();
  const [creating, setCreating] = useState(false);
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

  const loadMore = async () => {
    if (!cursor) return;
    const page = await more.run(() =>
      api.opportunities.list.query({ ...input, limit: 50, cursor }),
    );
    if (page)
      setExtra({ items: [...(extra?.items ?? []), ...page.items], cursor: page.nextCursor });
  };

  return (
    <section aria-labelledby="pipeline-title">
      <div className="page-head">
        <h1 id="pipeline-title">Pipeline</h1>
        {can('opportunities:write') && (
          <button type="button" onClick={() => setCreating((c) => !c)} aria-expanded={creating}>
            {creating ? 'Close the new deal form' : 'New deal'}
          </button>
        )}
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
      <Filters
        value={filters}
        onChange={setFilters}
        partners={partners}
        stages={stages}
        statuses={dealStatuses}
      />
      <StageTotals filters={input} />
      <ProblemNote problem={list.problem ?? partnerships.problem} />
      {list.loading && !list.data ? (
        <Busy>Loading deals…</Busy>
      ) : (
        <DealTable items={items} myId={me.company.id} onChanged={list.reload} />
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
    </section>
  );
}

function DealTable({
  items,
  myId,
  onChanged,
}: {
  items: DealView[];
  myId: string;
  onChanged: () => void;
}) {
  if (items.length === 0) return <p className="empty">No deals match these filters.</p>;
  return (
    <div className="table-wrap">
      <table className="deals" data-testid="deal-table">
        <thead>
          <tr>
            <th scope="col">Deal</th>
            <th scope="col">Partners</th>
            <th scope="col">Stage</th>
            <th scope="col" className="num">
              Amount
            </th>
            <th scope="col">Close date</th>
            <th scope="col">Status</th>
          </tr>
        </thead>
        <tbody>
          {items.map((d) => (
            <DealRow key={d.id} deal={d} myId={myId} onChanged={onChanged} />
          ))}
        </tbody>
      </table>
    </div>
  );
}

function DealRow({
  deal,
  myId,
  onChanged,
}: {
  deal: DealView;
  myId: string;
  onChanged: () => void;
}) {
  const { api, can } = useApp();
  const action = useAction();
  const others = deal.participants.filter((p) => p.company.id !== myId);
  const f = deal.fields;
  const invited = deal.access === 'summary';
  return (
    <tr>
      <td>
        <Link to={`/deals/${encodeURIComponent(deal.id)}`}>{deal.summary.title}</Link>
        <div className="sub">{deal.summary.customer.name}</div>
        <div className="flags">
          {deal.firstDeal && <Badge tone="gold">First deal</Badge>}
          {deal.possibleDuplicates.length > 0 && (
            <Badge tone="warn">Possible duplicate ({deal.possibleDuplicates.length})</Badge>
          )}
          {invited && <Badge tone="info">Invitation</Badge>}
        </div>
      </td>
      <td>
        {others.length === 0 ? (
          <span className="sub">Not shared</span>
        ) : (
          others.map((p) => (
            <div key={p.company.id}>
              {p.company.name}
              {p.status === 'invited' && <span className="sub"> (invited)</span>}
            </div>
          ))
        )}
      </td>
      <td>{label(deal.summary.stage)}</td>
      <td className="num">{f ? money(f.amountMinor, f.currency) : '—'}</td>
      <td>{date(f?.expectedCloseDate)}</td>
      <td>
        {label(deal.status)}
        {invited && can('opportunities:write') && (
          <div>
            <button
              type="button"
              className="small"
              disabled={action.busy}
              onClick={() =>
                void action
                  .run(() => api.opportunities.accept.mutate({ id: deal.id }))
                  .then((r) => r && onChanged())
              }
            >
              Accept
            </button>
            <ProblemNote problem={action.problem} />
          </div>
        )}
      </td>
    </tr>
  );
}
