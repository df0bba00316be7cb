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
  const mayWrite = can('opportunities:write');
  const asked = deal.sponsorsNeeded.includes(me.company.id);
  const mine = deal.participants.find((p) => p.company.id === me.company.id);
  // On a first deal the form is open from the start; otherwise the empty sponsor offers it.
  const [naming, setNaming] = useState(false);
  const formOpen = mayWrite && (asked || naming);
  const save = async (e: FormEvent) => {
    e.preventDefault();
    if (await action.run(() => api.opportunities.setSponsor.mutate({ id: deal.id, sponsor }))) {
      setNaming(false);
      setSponsor('');
      onChanged();
    }
  };
  return (
    <section className="card participants" aria-labelledby="participants-title">
      <h2 id="participants-title">Companies in this deal</h2>
      <ul>
        {deal.participants.map((p) => {
          const here = present.filter((x) => x.companyId === p.company.id);
          const isMe = p.company.id === me.company.id;
          return (
            <li key={p.company.id}>
              <strong>{p.company.name}</strong> <span className="sub">{label(p.role)}</span>{' '}
              {p.status === 'invited' && <Badge tone="info">Invited</Badge>}
              {p.firstDeal && <Badge tone="gold">First deal together</Badge>}
              <div className="sub" data-testid={isMe ? 'my-sponsor' : undefined}>
                Executive sponsor:{' '}
                {p.executiveSponsor ??
                  (isMe ? 'not named yet' : `not named yet (${p.company.name} names its own)`)}
                {isMe && mayWrite && !formOpen && (
                  <>
                    {' '}
                    <button
                      type="button"
                      className="quiet small"
                      onClick={() => {
                        setSponsor(p.executiveSponsor ?? '');
                        setNaming(true);
                      }}
                    >
                      {p.executiveSponsor ? 'Change' : 'Name your executive sponsor'}
                    </button>
                  </>
                )}
                {' · '}
                {p.lastConfirmedAt
                  ? `last confirmed ${dateTime(p.lastConfirmedAt)}`
                  : p.status === 'invited'
                    ? 'has not accepted yet'
                    : 'has not confirmed the deal yet'}
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
      {formOpen && mine && (
        <form
          onSubmit={(e) => void save(e)}
          className="inline-form"
          aria-label="Name your executive sponsor"
        >
          <p>
            {asked
              ? `This is your first deal with this partner: name ${me.company.name}’s executive sponsor, the senior person who backs it.`
              : `Name ${me.company.name}’s executive sponsor for this deal: the senior person who backs it.`}
          </p>
          <label>
            Executive sponsor
            <input
              value={sponsor}
              onChange={(e) => setSponsor(e.target.value)}
              required
              placeholder="e.g. Dana Scully, VP Sales"
            />
          </label>
          <button type="submit" disabled={action.busy}>
            Save sponsor
          </button>
          {naming && !asked && (
            <button type="button" className="quiet" onClick={() => setNaming(false)}>
              Cancel
            </button>
          )}
        </form>
      )}
      <ProblemNote problem={action.problem} />
    </section>
  );
}
