import { useState, type FormEvent } from 'react';
import { plays, stepStatuses } from '../../../../shared/opportunities/co-sell-steps.ts';
import type { DocStep } from '../../../../shared/sync/deal-doc.ts';
import type { DealDetail } from '../api/types.ts';
import { useApp } from '../app-context.tsx';
import { ProblemNote, CodeOptions } from '../ui/bits.tsx';
import { date, label } from '../ui/format.ts';
import { useAction } from '../ui/use-query.ts';

type Play = (typeof plays)[number];
type Status = (typeof stepStatuses)[number];

/** A step as the room's plan holds it (the shared layout). */
export type PlanStep = DocStep;

/** The mutual action plan. Steps are written through the API, which applies them to the room. */
export function PlanPanel({
  dealId,
  steps,
  participants,
  readOnly,
  onChanged,
}: {
  dealId: string;
  steps: PlanStep[];
  participants: DealDetail['participants'];
  readOnly: boolean;
  onChanged: () => void;
}) {
  const { api, me } = useApp();
  const action = useAction();
  const owners = participants.filter((p) => p.status === 'accepted');
  const nameOf = (id: string) => owners.find((p) => p.company.id === id)?.company.name ?? id;
  const [play, setPlay] = useState<Play>('intro');
  const [owner, setOwner] = useState(me.company.id);
  const [due, setDue] = useState('');
  const [title, setTitle] = useState('');

  const add = async (e: FormEvent) => {
    e.preventDefault();
    const done = await action.run(() =>
      api.steps.add.mutate({
        dealId,
        step: {
          play,
          ownerCompanyId: owner,
          ...(title ? { title } : {}),
          ...(due ? { dueDate: due } : {}),
        },
      }),
    );
    if (done) {
      setTitle('');
      setDue('');
      onChanged();
    }
  };
  const setStatus = async (stepId: string, status: Status) => {
    if (await action.run(() => api.steps.update.mutate({ dealId, stepId, patch: { status } })))
      onChanged();
  };

  return (
    <section className="card plan" aria-labelledby="plan-title">
      <h2 id="plan-title">Mutual plan</h2>
      {steps.length === 0 ? (
        <p className="empty">No steps yet.</p>
      ) : (
        <ol className="steps">
          {steps.map((s) => (
            <li key={s.id}>
              <div>
                <strong>{s.title ?? label(s.play)}</strong>
                <span className="sub">
                  {' '}
                  {nameOf(s.ownerCompanyId)}
                  {s.ownerPerson ? ` · ${s.ownerPerson}` : ''} · due {date(s.dueDate)}
                </span>
                {s.outcome && <div className="sub">Outcome: {s.outcome}</div>}
              </div>
              <label className="inline">
                <span className="visually-hidden">Status of {s.title ?? label(s.play)}</span>
                <select
                  value={s.status}
                  disabled={readOnly || action.busy}
                  onChange={(e) => void setStatus(s.id, e.target.value as Status)}
                >
                  <CodeOptions codes={stepStatuses} />
                </select>
              </label>
            </li>
          ))}
        </ol>
      )}
      {!readOnly && (
        <form className="add-step" onSubmit={(e) => void add(e)} aria-label="Add a step">
          <label>
            Play
            <select value={play} onChange={(e) => setPlay(e.target.value as Play)}>
              <CodeOptions codes={plays} />
            </select>
          </label>
          <label>
            Step title
            <input
              value={title}
              onChange={(e) => setTitle(e.target.value)}
              placeholder="optional"
            />
          </label>
          <label>
            Owner
            <select value={owner} onChange={(e) => setOwner(e.target.value)}>
              {owners.map((p) => (
                <option key={p.company.id} value={p.company.id}>
                  {p.company.name}
                </option>
              ))}
            </select>
          </label>
          <label>
            Due
            <input type="date" value={due} onChange={(e) => setDue(e.target.value)} />
          </label>
          <button type="submit" disabled={action.busy}>
            Add step
          </button>
        </form>
      )}
      <ProblemNote problem={action.problem} />
    </section>
  );
}
