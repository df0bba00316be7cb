import { useState, type FormEvent } from 'react';
import { allocate, attributionKinds, totalBps } from '../../../../shared/attribution/splits.ts';
import type { Attribution, DealDetail } from '../api/types.ts';
import { useApp } from '../app-context.tsx';
import { Badge, ProblemNote } from '../ui/bits.tsx';
import { dateTime, label, money } from '../ui/format.ts';
import { useAction } from '../ui/use-query.ts';

type Kind = (typeof attributionKinds)[number];
type Version = Attribution['versions'][number];

/**
 * Who earned which share of a won deal: propose splits, sign (finance or admin), dispute with a
 * reason; sealed once every company signed.
 */
export function AttributionPanel({
  deal,
  attribution,
  onChanged,
}: {
  deal: DealDetail;
  attribution: Attribution | undefined;
  onChanged: () => void;
}) {
  const { can } = useApp();
  const companies = deal.participants.filter((p) => p.status === 'accepted');
  const nameOf = (id: string) => companies.find((p) => p.company.id === id)?.company.name ?? id;
  const versions = attribution?.versions ?? [];
  const open = versions.find((v) => v.status === 'proposed');
  const canPropose =
    deal.status === 'won' &&
    !open &&
    (!attribution?.sealed || attribution.needsNewVersion) &&
    (can('opportunities:write') || can('attribution:sign'));
  return (
    <section
      className="card attribution"
      aria-labelledby="attribution-title"
      data-testid="attribution"
    >
      <h2 id="attribution-title">Attribution</h2>
      {deal.status !== 'won' && <p className="sub">Attribution opens once the deal is won.</p>}
      {attribution?.sealed && (
        <p className="sealed" role="status" data-testid="sealed">
          Sealed: version {attribution.sealed.version}, signed by every company
          {attribution.sealed.sealedAt ? ` on ${dateTime(attribution.sealed.sealedAt)}` : ''}.
          {attribution.needsNewVersion &&
            ' The amount or the companies changed since: propose a new version.'}
        </p>
      )}
      {versions.map((v) => (
        <VersionCard key={v.version} v={v} nameOf={nameOf} dealId={deal.id} onChanged={onChanged} />
      ))}
      {canPropose && deal.fields && (
        <ProposeForm
          dealId={deal.id}
          companies={companies.map((p) => ({ id: p.company.id, name: p.company.name }))}
          originatorId={deal.originatorId}
          amountMinor={deal.fields.amountMinor}
          currency={deal.fields.currency}
          onChanged={onChanged}
        />
      )}
    </section>
  );
}

function VersionCard({
  v,
  nameOf,
  dealId,
  onChanged,
}: {
  v: Version;
  nameOf: (id: string) => string;
  dealId: string;
  onChanged: () => void;
}) {
  const { api, me, can } = useApp();
  const action = useAction();
  const [reason, setReason] = useState('');
  const [disputing, setDisputing] = useState(false);
  const mine = v.parties.find((p) => p.companyId === me.company.id);
  const mayAct = v.status === 'proposed' && mine && !mine.signedAt && can('attribution:sign');
  const sign = async () => {
    if (await action.run(() => api.attribution.sign.mutate({ dealId, version: v.version })))
      onChanged();
  };
  const dispute = async (e: FormEvent) => {
    e.preventDefault();
    if (
      await action.run(() => api.attribution.dispute.mutate({ dealId, version: v.version, reason }))
    ) {
      setDisputing(false);
      onChanged();
    }
  };
  const tone = v.status === 'sealed' ? 'ok' : v.status === 'proposed' ? 'info' : 'plain';
  return (
    <div className="version" data-testid={`attribution-v${v.version}`}>
      <h3>
        Version {v.version} <Badge tone={tone}>{label(v.status)}</Badge>
      </h3>
      <table>
        <thead>
          <tr>
            <th scope="col">Company</th>
            <th scope="col">Kind</th>
            <th scope="col" className="num">
              Share
            </th>
            <th scope="col" className="num">
              Amount
            </th>
            <th scope="col">Approval</th>
          </tr>
        </thead>
        <tbody>
          {v.statement.splits.map((s) => {
            const party = v.parties.find((p) => p.companyId === s.companyId);
            return (
              <tr key={s.companyId}>
                <td>{nameOf(s.companyId)}</td>
                <td>{label(s.kind)}</td>
                <td className="num">{(s.bps / 100).toFixed(2)}%</td>
                <td className="num">{money(s.amountMinor, v.statement.currency)}</td>
                <td>
                  {party?.signedAt ? (
                    <span>Signed {dateTime(party.signedAt)}</span>
                  ) : party?.disputeReason ? (
                    <span className="warn">Disputed: {party.disputeReason}</span>
                  ) : (
                    <span className="sub">Waiting</span>
                  )}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      {mayAct && (
        <div className="actions">
          <button type="button" onClick={() => void sign()} disabled={action.busy}>
            {action.busy ? 'Signing…' : `Sign for ${me.company.name}`}
          </button>
          <button
            type="button"
            className="quiet"
            onClick={() => setDisputing((d) => !d)}
            aria-expanded={disputing}
          >
            Dispute
          </button>
        </div>
      )}
      {v.status === 'proposed' && mine && !mine.signedAt && !can('attribution:sign') && (
        <p className="sub">A finance or admin member of {me.company.name} signs this.</p>
      )}
      {disputing && (
        <form onSubmit={(e) => void dispute(e)} className="inline-form">
          <label>
            Why you dispute it
            <textarea
              value={reason}
              onChange={(e) => setReason(e.target.value)}
              required
              rows={2}
            />
          </label>
          <button type="submit" disabled={action.busy}>
            Record the dispute
          </button>
        </form>
      )}
      <ProblemNote problem={action.problem} />
    </div>
  );
}

function ProposeForm({
  dealId,
  companies,
  originatorId,
  amountMinor,
  currency,
  onChanged,
}: {
  dealId: string;
  companies: { id: string; name: string }[];
  originatorId: string;
  amountMinor: number;
  currency: string;
  onChanged: () => void;
}) {
  const { api } = useApp();
  const action = useAction();
  const even = Math.floor(totalBps / companies.length);
  const [rows, setRows] = useState(
    companies.map((c, i) => ({
      companyId: c.id,
      kind: (c.id === originatorId ? 'sourced' : 'influenced') as Kind,
      percent: ((i === 0 ? totalBps - even * (companies.length - 1) : even) / 100).toFixed(2),
    })),
  );
  const bps = rows.map((r) => Math.round(Number(r.percent) * 100));
  const sum = bps.reduce((a, b) => a + (Number.isFinite(b) ? b : 0), 0);
  const valid = sum === totalBps && bps.every((b) => Number.isInteger(b) && b > 0);
  const preview = valid
    ? allocate(
        amountMinor,
        rows.map((r, i) => ({ companyId: r.companyId, kind: r.kind, bps: bps[i]! })),
      )
    : [];
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const splits = rows.map((r, i) => ({ companyId: r.companyId, kind: r.kind, bps: bps[i]! }));
    if (await action.run(() => api.attribution.propose.mutate({ dealId, splits }))) onChanged();
  };
  return (
    <form className="propose" onSubmit={(e) => void submit(e)} aria-label="Propose attribution">
      <h3>Propose the split</h3>
      {rows.map((r, i) => {
        const name = companies.find((c) => c.id === r.companyId)?.name ?? r.companyId;
        const set = (patch: Partial<typeof r>) =>
          setRows(rows.map((x, j) => (j === i ? { ...x, ...patch } : x)));
        return (
          <div className="split-row" key={r.companyId}>
            <strong>{name}</strong>
            <label>
              Kind for {name}
              <select value={r.kind} onChange={(e) => set({ kind: e.target.value as Kind })}>
                {attributionKinds.map((k) => (
                  <option key={k} value={k}>
                    {label(k)}
                  </option>
                ))}
              </select>
            </label>
            <label>
              Share of {name} (%)
              <input
                inputMode="decimal"
                value={r.percent}
                onChange={(e) => set({ percent: e.target.value })}
              />
            </label>
            <span className="sub">{preview[i] ? money(preview[i].amountMinor, currency) : ''}</span>
          </div>
        );
      })}
      <p className={valid ? 'sub' : 'warn'} aria-live="polite">
        Total {(sum / 100).toFixed(2)}% {valid ? '' : '— the shares must add up to exactly 100%.'}
      </p>
      <ProblemNote problem={action.problem} />
      <button type="submit" disabled={!valid || action.busy}>
        {action.busy ? 'Proposing…' : 'Propose'}
      </button>
    </form>
  );
}
