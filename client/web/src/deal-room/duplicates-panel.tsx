import { useEffect, useId, useRef, useState } from 'react';
import type { DuplicateReason } from '../../../../shared/opportunities/duplicates.ts';
import type { DealDetail } from '../api/types.ts';
import { useApp } from '../app-context.tsx';
import { Badge, ProblemNote } from '../ui/bits.tsx';
import { date, dateTime, label, money } from '../ui/format.ts';
import { Link } from '../ui/router.tsx';
import { useAction } from '../ui/use-query.ts';

type Duplicate = DealDetail['possibleDuplicates'][number];
type Related = DealDetail['relatedDeals'][number];
type Other = NonNullable<Duplicate['deal']>;

/** Why the two match, in words, with the value they share where this deal shows it. */
function reasonText(reason: DuplicateReason, deal: DealDetail, other: Other): string {
  const f = deal.fields;
  switch (reason) {
    case 'same_customer_domain':
      return `Same customer website${f?.customer.domain ? ` (${f.customer.domain})` : ''}`;
    case 'same_title':
      return 'Same title';
    case 'similar_title':
      return `Similar title (“${f?.title ?? deal.summary.title}” and “${other.title}”)`;
    case 'same_customer_name':
      return `Same customer (${other.customer.name})`;
    case 'same_amount':
      return `Same amount${f ? ` (${money(f.amountMinor, f.currency)})` : ''}`;
    case 'same_expected_close_date':
      return `Same expected close date${f?.expectedCloseDate ? ` (${date(f.expectedCloseDate)})` : ''}`;
  }
}

function OtherDeal({ other }: { other: Other }) {
  return (
    <>
      <Link to={`/deals/${encodeURIComponent(other.id)}`}>
        <strong>{other.title}</strong>
      </Link>{' '}
      <span className="sub">
        {other.customer.name} · {label(other.stage)}
        {other.amountMinor !== null && other.currency
          ? ` · ${money(other.amountMinor, other.currency)}`
          : ''}{' '}
        · registered by {other.owner.name}
      </span>
    </>
  );
}

/**
 * The deal's possible duplicates with why each matches, and what a member may do with a pair:
 * merge (one is closed as a duplicate of the other), link (related, both stay open) or dismiss
 * (not a duplicate). Also the deals already linked or merged with this one.
 */
export function DuplicatesPanel({ deal, onChanged }: { deal: DealDetail; onChanged: () => void }) {
  const [done, setDone] = useState<string>();
  if (deal.possibleDuplicates.length === 0 && deal.relatedDeals.length === 0)
    return done ? (
      <p role="status" className="notice" data-testid="duplicate-outcome">
        {done}
      </p>
    ) : null;
  const changed = (outcome: string) => {
    setDone(outcome);
    onChanged();
  };
  return (
    <section
      className="card duplicates"
      aria-labelledby="duplicates-title"
      data-testid="duplicates"
    >
      {deal.possibleDuplicates.length > 0 && (
        <>
          <h2 id="duplicates-title">Possible duplicates</h2>
          <p className="sub">
            Tandem flagged {deal.possibleDuplicates.length === 1 ? 'this deal' : 'these deals'} when
            one was registered with the same customer website and title as another. Merge a true
            duplicate, link a related deal, or dismiss it if it is a different deal.
          </p>
          <ul className="duplicate-list">
            {deal.possibleDuplicates.map((d, n) =>
              d.deal ? (
                <DuplicateItem
                  key={d.deal.id}
                  deal={deal}
                  other={d.deal}
                  dup={d}
                  onDone={changed}
                />
              ) : (
                <li key={`hidden-${n}`} data-testid="possible-duplicate">
                  <p>
                    A possible duplicate is held in a deal your company does not take part in, so
                    Tandem shows nothing of it. A company in both deals can merge, link or dismiss
                    it; ask your partner.
                  </p>
                  <p className="sub">Flagged {dateTime(d.flaggedAt)}</p>
                </li>
              ),
            )}
          </ul>
        </>
      )}
      {deal.relatedDeals.length > 0 && (
        <RelatedDeals deal={deal} related={deal.relatedDeals} onDone={changed} />
      )}
      {done && (
        <p role="status" className="notice" data-testid="duplicate-outcome">
          {done}
        </p>
      )}
    </section>
  );
}

function DuplicateItem({
  deal,
  other,
  dup,
  onDone,
}: {
  deal: DealDetail;
  other: Other;
  dup: Duplicate;
  onDone: (outcome: string) => void;
}) {
  const { api, can } = useApp();
  const action = useAction();
  const [merging, setMerging] = useState(false);
  const mayWrite = can('opportunities:write');
  const title = deal.fields?.title ?? deal.summary.title;
  const link = async () => {
    if (
      await action.run(() =>
        api.opportunities.linkDuplicate.mutate({ id: deal.id, otherId: other.id }),
      )
    )
      onDone(`Linked: “${title}” and “${other.title}” are related deals; both stay open.`);
  };
  const dismiss = async () => {
    if (
      await action.run(() =>
        api.opportunities.dismissDuplicate.mutate({ id: deal.id, otherId: other.id }),
      )
    )
      onDone(`Dismissed: “${other.title}” is no longer flagged as a duplicate of this deal.`);
  };
  return (
    <li data-testid="possible-duplicate">
      <OtherDeal other={other} />
      {dup.reasons.length > 0 ? (
        <ul className="reasons" aria-label={`Why “${other.title}” matches`}>
          {dup.reasons.map((r) => (
            <li key={r}>{reasonText(r, deal, other)}</li>
          ))}
        </ul>
      ) : (
        <p className="sub">
          It matched when it was registered (same customer website and title); it has changed since.
        </p>
      )}
      {other.access !== 'full' ? (
        <p className="sub">
          Your company is invited to “{other.title}” but has not accepted it.{' '}
          <Link to={`/deals/${encodeURIComponent(other.id)}`}>Open the invitation</Link> and accept
          it to merge, link or dismiss the pair.
        </p>
      ) : mayWrite ? (
        <div className="actions">
          <button type="button" onClick={() => setMerging(true)} disabled={action.busy}>
            Merge…
          </button>
          <button
            type="button"
            className="quiet"
            onClick={() => void link()}
            disabled={action.busy}
          >
            Link as related
          </button>
          <button
            type="button"
            className="quiet"
            onClick={() => void dismiss()}
            disabled={action.busy}
          >
            Not a duplicate
          </button>
        </div>
      ) : (
        <p className="sub">Your role cannot change deals; a seller or an admin can resolve this.</p>
      )}
      <ProblemNote problem={action.problem} />
      {merging && (
        <MergeDialog
          deal={deal}
          other={other}
          onClose={() => setMerging(false)}
          onMerged={(outcome) => {
            setMerging(false);
            onDone(outcome);
          }}
        />
      )}
    </li>
  );
}

/**
 * Confirms a merge, saying what happens: which deal is kept, that the other is closed (not
 * deleted) as a duplicate of it, and what each company in the closed deal keeps.
 */
function MergeDialog({
  deal,
  other,
  onClose,
  onMerged,
}: {
  deal: DealDetail;
  other: Other;
  onClose: () => void;
  onMerged: (outcome: string) => void;
}) {
  const { api } = useApp();
  const id = useId();
  const ref = useRef<HTMLDialogElement>(null);
  const action = useAction();
  const thisTitle = deal.fields?.title ?? deal.summary.title;
  const thisWon = deal.status === 'won';
  const otherWon = other.status === 'won';
  // A won deal is never closed as a duplicate: if one is won it is the one kept; else this one.
  const [keep, setKeep] = useState<'this' | 'other'>(otherWon ? 'other' : 'this');
  useEffect(() => {
    const dialog = ref.current;
    if (dialog && !dialog.open) dialog.showModal();
  }, []);

  const thisCompanies = deal.participants.map((p) => ({ id: p.company.id, name: p.company.name }));
  const kept =
    keep === 'this'
      ? { id: deal.id, title: thisTitle, companies: thisCompanies }
      : { id: other.id, title: other.title, companies: other.companies };
  const closed =
    keep === 'this'
      ? { id: other.id, title: other.title, companies: other.companies, status: other.status }
      : { id: deal.id, title: thisTitle, companies: thisCompanies, status: deal.status };
  const ownerOfKept =
    keep === 'this'
      ? deal.participants.find((p) => p.role === 'originator')?.company.name
      : other.owner.name;
  const leftOut = closed.companies.filter((c) => !kept.companies.some((k) => k.id === c.id));
  const names = (list: { name: string }[]) => list.map((c) => c.name).join(', ');

  const merge = async () => {
    const done = await action.run(() =>
      api.opportunities.mergeDuplicate.mutate({ id: kept.id, duplicateId: closed.id }),
    );
    if (done) onMerged(`Merged: “${closed.title}” is closed as a duplicate of “${kept.title}”.`);
  };

  return (
    <dialog
      ref={ref}
      aria-labelledby={`${id}-title`}
      onCancel={(e) => {
        e.preventDefault();
        onClose();
      }}
      className="card merge-dialog"
    >
      <h3 id={`${id}-title`}>
        Merge “{thisTitle}” and “{other.title}”
      </h3>
      <fieldset>
        <legend>Which deal do you keep?</legend>
        <label className="check">
          <input
            type="radio"
            name={`${id}-keep`}
            checked={keep === 'this'}
            disabled={otherWon}
            onChange={() => setKeep('this')}
          />
          Keep this deal, “{thisTitle}”
        </label>
        <label className="check">
          <input
            type="radio"
            name={`${id}-keep`}
            checked={keep === 'other'}
            disabled={thisWon}
            onChange={() => setKeep('other')}
          />
          Keep “{other.title}” ({other.owner.name}’s)
        </label>
      </fieldset>
      <ul data-testid="merge-consequences">
        <li>
          “{closed.title}” will be closed as a duplicate of “{kept.title}”
          {closed.status === 'open' ? ' (stage lost, reason “no opportunity”, closed today)' : ''}.
          Nothing is deleted: its history, plan and notes stay, with a link to “{kept.title}”.
        </li>
        <li>
          {closed.companies.length > 0 ? names(closed.companies) : 'Every company in it'} keep
          {closed.companies.length === 1 ? 's' : ''} “{closed.title}”, closed, and see
          {closed.companies.length === 1 ? 's' : ''} the merge in its history.
        </li>
        {leftOut.length > 0 && (
          <li>
            {names(leftOut)} {leftOut.length === 1 ? 'is' : 'are'} not in “{kept.title}” and will
            not be added to it
            {ownerOfKept
              ? `: ${ownerOfKept}, its owner, can invite ${leftOut.length === 1 ? 'it' : 'them'}`
              : ''}
            .
          </li>
        )}
        <li>“{kept.title}” stays as it is, and records the merge in its history.</li>
      </ul>
      {(thisWon || otherWon) && (
        <p className="sub">
          {thisWon && otherWon
            ? 'Both deals are won, and a won deal is never closed as a duplicate: link them instead.'
            : `“${thisWon ? thisTitle : other.title}” is won, so it can only be the deal you keep.`}
        </p>
      )}
      <ProblemNote problem={action.problem} />
      <div className="actions">
        <button
          type="button"
          className="danger"
          onClick={() => void merge()}
          disabled={action.busy || (thisWon && otherWon)}
        >
          {action.busy ? 'Merging…' : `Close “${closed.title}” as a duplicate`}
        </button>
        <button type="button" className="quiet" onClick={onClose} disabled={action.busy}>
          Cancel
        </button>
      </div>
    </dialog>
  );
}

/** Deals linked to this one or merged with it, and unlinking a linked one. */
function RelatedDeals({
  deal,
  related,
  onDone,
}: {
  deal: DealDetail;
  related: Related[];
  onDone: (outcome: string) => void;
}) {
  const { api, can } = useApp();
  const action = useAction();
  const unlink = async (other: Other) => {
    if (
      await action.run(() =>
        api.opportunities.dismissDuplicate.mutate({ id: deal.id, otherId: other.id }),
      )
    )
      onDone(`Unlinked: “${other.title}” is no longer related to this deal.`);
  };
  return (
    <>
      <h2 id={deal.possibleDuplicates.length > 0 ? undefined : 'duplicates-title'}>
        Related deals
      </h2>
      <ul className="duplicate-list">
        {related.map((r, n) => (
          <li key={r.deal?.id ?? `hidden-${n}`} data-testid="related-deal">
            {r.relation === 'linked' && <Badge tone="info">Linked</Badge>}
            {r.relation === 'merged_into' && <Badge tone="warn">Closed as a duplicate</Badge>}
            {r.relation === 'merged_from' && <Badge tone="ok">Kept</Badge>}{' '}
            {r.relation === 'linked' &&
              (r.deal ? (
                <>
                  Both deals stay open: <OtherDeal other={r.deal} />
                </>
              ) : (
                'Both deals stay open; the other is one your company does not take part in.'
              ))}
            {r.relation === 'merged_into' &&
              (r.deal ? (
                <>
                  This deal was closed as a duplicate of <OtherDeal other={r.deal} />
                </>
              ) : (
                'This deal was closed as a duplicate of a deal your company does not take part in; its owner can invite you to it.'
              ))}
            {r.relation === 'merged_from' &&
              (r.deal ? (
                <>
                  Closed into this deal as its duplicate: <OtherDeal other={r.deal} />
                </>
              ) : (
                'A duplicate your company does not take part in was closed into this deal.'
              ))}{' '}
            <div className="sub">{dateTime(r.at)}</div>
            {r.relation === 'linked' && r.deal?.access === 'full' && can('opportunities:write') && (
              <div className="actions">
                <button
                  type="button"
                  className="quiet small"
                  onClick={() => r.deal && void unlink(r.deal)}
                  disabled={action.busy}
                >
                  Unlink
                </button>
              </div>
            )}
          </li>
        ))}
      </ul>
      <ProblemNote problem={action.problem} />
    </>
  );
}
