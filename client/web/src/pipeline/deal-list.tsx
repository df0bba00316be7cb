import type { DealView } from '../../../../shared/opportunities/deal-view.schema.ts';
import { useApp } from '../app-context.tsx';
import { Badge, ProblemNote } from '../ui/bits.tsx';
import { date, label, money } from '../ui/format.ts';
import { Link } from '../ui/router.tsx';
import { useAction } from '../ui/use-query.ts';

export const rowId = (dealId: string) => `deal-row-${dealId}`;
export const cardId = (dealId: string) => `deal-card-${dealId}`;

/**
 * The deals twice over: a table at desktop widths and cards on a phone; CSS shows one. Each is a
 * one-selection grid: `selectedId` is its active descendant, so a screen reader reads the deal
 * that j/k moved to while focus stays on the list.
 */
export function DealList({
  items,
  myId,
  selectedId,
  onSelect,
  onChanged,
}: {
  items: DealView[];
  myId: string;
  selectedId: string | undefined;
  onSelect: (id: string) => void;
  onChanged: () => void;
}) {
  if (items.length === 0) return <p className="empty">No deals match these filters.</p>;
  const active = items.some((d) => d.id === selectedId) ? selectedId : undefined;
  const list = {
    role: 'grid',
    'aria-label': 'Deals',
    'aria-readonly': true,
    'aria-rowcount': items.length,
    tabIndex: 0,
    'data-deal-list': '',
  } as const;
  return (
    <>
      <div className="table-wrap deal-table-wrap">
        <table
          {...list}
          className="deals"
          data-testid="deal-table"
          aria-activedescendant={active ? rowId(active) : undefined}
        >
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
              <DealRow
                key={d.id}
                deal={d}
                myId={myId}
                selected={d.id === active}
                onSelect={onSelect}
                onChanged={onChanged}
              />
            ))}
          </tbody>
        </table>
      </div>
      <div
        {...list}
        className="deal-cards"
        data-testid="deal-cards"
        aria-activedescendant={active ? cardId(active) : undefined}
      >
        {items.map((d) => (
          <DealCard
            key={d.id}
            deal={d}
            myId={myId}
            selected={d.id === active}
            onSelect={onSelect}
            onChanged={onChanged}
          />
        ))}
      </div>
    </>
  );
}

interface ItemProps {
  deal: DealView;
  myId: string;
  selected: boolean;
  onSelect: (id: string) => void;
  onChanged: () => void;
}

function DealRow({ deal, myId, selected, onSelect, onChanged }: ItemProps) {
  const f = deal.fields;
  return (
    <tr id={rowId(deal.id)} aria-selected={selected} onClick={() => onSelect(deal.id)}>
      <td>
        <DealTitle deal={deal} />
        <div className="sub">{deal.summary.customer.name}</div>
        <Flags deal={deal} />
      </td>
      <td>
        <Partners deal={deal} myId={myId} />
      </td>
      <td>{label(deal.summary.stage)}</td>
      <td className="num">{f ? money(f.amountMinor, f.currency) : '—'}</td>
      <td>{date(f?.expectedCloseDate)}</td>
      <td>
        {label(deal.status)}
        <Accept deal={deal} onChanged={onChanged} />
      </td>
    </tr>
  );
}

function DealCard({ deal, myId, selected, onSelect, onChanged }: ItemProps) {
  const f = deal.fields;
  return (
    <div
      role="row"
      className="deal-card"
      id={cardId(deal.id)}
      aria-selected={selected}
      onClick={() => onSelect(deal.id)}
    >
      <div role="gridcell">
        <div className="deal-card-head">
          <DealTitle deal={deal} />
          <span className="deal-card-amount">{f ? money(f.amountMinor, f.currency) : '—'}</span>
        </div>
        <div className="sub">{deal.summary.customer.name}</div>
        <div className="deal-card-meta">
          <span className="deal-card-stage">{label(deal.summary.stage)}</span>
          <span className="deal-card-partners">
            <Partners deal={deal} myId={myId} />
          </span>
        </div>
        <Flags deal={deal} />
        <Accept deal={deal} onChanged={onChanged} />
      </div>
    </div>
  );
}

function DealTitle({ deal }: { deal: DealView }) {
  return (
    <Link to={`/deals/${encodeURIComponent(deal.id)}`} className="deal-title">
      {deal.summary.title}
    </Link>
  );
}

function Flags({ deal }: { deal: DealView }) {
  const invited = deal.access === 'summary';
  if (!deal.firstDeal && deal.possibleDuplicates.length === 0 && !invited) return null;
  return (
    <div className="flags">
      {deal.firstDeal && <Badge tone="gold">First deal</Badge>}
      {deal.possibleDuplicates.length > 0 && (
        <Badge tone="warn">Possible duplicate ({deal.possibleDuplicates.length})</Badge>
      )}
      {invited && <Badge tone="info">Invitation</Badge>}
    </div>
  );
}

function Partners({ deal, myId }: { deal: DealView; myId: string }) {
  const others = deal.participants.filter((p) => p.company.id !== myId);
  if (others.length === 0) return <span className="sub">Not shared</span>;
  return (
    <>
      {others.map((p) => (
        <span key={p.company.id} className="partner">
          {p.company.name}
          {p.status === 'invited' && <span className="sub"> (invited)</span>}
        </span>
      ))}
    </>
  );
}

function Accept({ deal, onChanged }: { deal: DealView; onChanged: () => void }) {
  const { api, can } = useApp();
  const action = useAction();
  if (deal.access !== 'summary' || !can('opportunities:write')) return null;
  return (
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
  );
}
