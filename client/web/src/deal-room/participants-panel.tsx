import { useState, type FormEvent } from 'react';
import type { DealDetail } from '../api/types.ts';
import { useApp } from '../app-context.tsx';
import { Badge, ProblemNote } from '../ui/bits.tsx';
import { dateTime, label } from '../ui/format.ts';
import { useAction } from '../ui/use-query.ts';
import type { Presence } from './live-room.ts';

/** Who takes part, first-deal markers and sponsors, and who is in the room right now. */
export function ParticipantsPanel({
  deal,
  present,
  onChanged,
}: {
  deal: DealDetail;
  present: Presence[];
  onChanged: () => void;
}) {
  const { api, me, can } = useApp();
  const action = useAction();
  const [sponsor, setSponsor] = useState('');
  const needSponsor = deal.sponsorsNeeded.includes(me.company.id) && can('opportunities:write');
  const save = async (e: FormEvent) => {
    e.preventDefault();
    if (await action.run(() => api.opportunities.setSponsor.mutate({ id: deal.id, sponsor })))
      onChanged();
  };
  return (
    <section className="card participants" aria-labelledby="participants-title">
      <h2 id="participants-title">Companies in this deal</h2>
      <ul>
        {deal.participants.map((p) => {
          const here = present.filter((x) => x.companyId === p.company.id);
          return (
            <li key={p.company.id}>
              <strong>{p.company.name}</strong> <span className="sub">{label(p.role)}</span>{' '}
              {p.status === 'invited' && <Badge tone="info">Invited</Badge>}
              {p.firstDeal && <Badge tone="gold">First deal together</Badge>}
              <div className="sub">
                Sponsor: {p.executiveSponsor ?? 'not named'} · last confirmed{' '}
                {p.lastConfirmedAt ? dateTime(p.lastConfirmedAt) : 'never'}
              </div>
              {here.length > 0 && (
                <div className="sub" data-testid="present">
                  In the room: {here.map((x) => x.name).join(', ')}
                </div>
              )}
            </li>
          );
        })}
      </ul>
      {needSponsor && (
        <form onSubmit={(e) => void save(e)} className="inline-form">
          <p>This is your first deal with this partner: name your executive sponsor.</p>
          <label>
            Executive sponsor
            <input value={sponsor} onChange={(e) => setSponsor(e.target.value)} required />
          </label>
          <button type="submit" disabled={action.busy}>
            Save sponsor
          </button>
        </form>
      )}
      <ProblemNote problem={action.problem} />
    </section>
  );
}
