import { useEffect, useState } from 'react';
import { participantRoles } from '../../../../shared/opportunities/opportunity-fields.ts';
import { toProblem, type Problem } from '../api/errors.ts';
import type { Inputs, Outputs, Partnership } from '../api/types.ts';
import { useApp } from '../app-context.tsx';
import { Badge, Busy, ProblemNote } from '../ui/bits.tsx';
import { label } from '../ui/format.ts';

type Role = Exclude<(typeof participantRoles)[number], 'originator'>;
export type DealDraft = Inputs['idealPartners']['forDraft']['draft'];
type Ranking = Outputs['idealPartners']['forDraft'];
type Ranked = Ranking['partners'][number];

const roleFor: Record<string, Role> = { reseller: 'reseller', service: 'fulfilment' };

/** What each signal of the ranking is about, in words. */
const factorWords: Record<Ranked['reasons'][number]['factor'], string> = {
  bias: 'Baseline',
  dealBase: 'Your usual rate here',
  cellRecord: 'Record with you here',
  customerIsTheirCustomer: 'The customer in their accounts',
  customerInTheirPipeline: 'The customer in their pipeline',
  segmentFit: 'Segment fit',
  industryFit: 'Industry fit',
  regionFit: 'Country fit',
  cellFit: 'Where its deals fall',
  motionFit: 'Motion fit',
  dealSizeFit: 'Deal size',
  cycleTime: 'Cycle time',
  activated: 'Activity',
  openLoad: 'Current load',
};

const pct = (x: number) => `${Math.round(x * 100)}%`;
const shownReasons = 3;

/**
 * The Ideal Deal Partner card: the company's active partners ranked by the recommender for the
 * draft as it is typed (estimated win probability and the reasons), the top one marked, and the
 * choice of whom to share the new deal with (and in which role) left to the person.
 */
export function IdealPartnerCard({
  partners,
  draft,
  chosen,
  onChoose,
}: {
  partners: Partnership[];
  draft: DealDraft;
  chosen: Record<string, Role>;
  onChoose: (c: Record<string, Role>) => void;
}) {
  const { api, handleProblem } = useApp();
  const [ranking, setRanking] = useState<Ranking | undefined>();
  const [problem, setProblem] = useState<Problem | undefined>();
  const [loading, setLoading] = useState(true);
  const key = JSON.stringify(draft);

  // Ranks again a moment after the draft stops changing; a stale answer is dropped.
  useEffect(() => {
    let live = true;
    setLoading(true);
    const timer = setTimeout(() => {
      api.idealPartners.forDraft
        .mutate({ draft: JSON.parse(key) as DealDraft, limit: 50 })
        .then(
          (r) => {
            if (!live) return;
            setRanking(r);
            setProblem(undefined);
          },
          (error: unknown) => live && setProblem(handleProblem(toProblem(error))),
        )
        .finally(() => live && setLoading(false));
    }, 300);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [api, key, handleProblem]);

  const toggle = (slug: string, type: string, on: boolean) => {
    const next = { ...chosen };
    if (on) next[slug] = roleFor[type] ?? 'co_seller';
    else delete next[slug];
    onChoose(next);
  };

  const share = (slug: string, name: string, type: string) => {
    const on = slug in chosen;
    return (
      <>
        <label className="check">
          <input
            type="checkbox"
            checked={on}
            onChange={(e) => toggle(slug, type, e.target.checked)}
          />
          Share with {name}
        </label>
        {on && (
          <label className="inline">
            Role of {name}
            <select
              value={chosen[slug]}
              onChange={(e) => onChoose({ ...chosen, [slug]: e.target.value as Role })}
            >
              {participantRoles
                .filter((r) => r !== 'originator')
                .map((r) => (
                  <option key={r} value={r}>
                    {label(r)}
                  </option>
                ))}
            </select>
          </label>
        )}
      </>
    );
  };

  const top = ranking?.partners[0];
  return (
    <section className="idp" aria-labelledby="idp-title" data-testid="ideal-partner-card">
      <h3 id="idp-title">Ideal Deal Partner</h3>
      {partners.length === 0 ? (
        <p className="sub">No active partners yet: invite one before sharing deals.</p>
      ) : !ranking ? (
        <>
          {loading && <Busy>Ranking your partners for this deal…</Busy>}
          <ProblemNote problem={problem} />
          {problem && (
            // Without a ranking the person can still choose whom to share with.
            <ul className="idp-list">
              {partners.map((p) => (
                <li key={p.id}>
                  {share(p.partner.slug, p.partner.name ?? p.partner.slug, p.partnerType)}
                </li>
              ))}
            </ul>
          )}
        </>
      ) : (
        <>
          <p className="sub" aria-live="polite">
            {top
              ? `Best partner for this deal so far: ${top.partner.name}, ${pct(top.probability)} estimated chance to win (your usual rate here: ${pct(ranking.baseline)}).`
              : 'No active partners to rank.'}{' '}
            {ranking.model.note ??
              `Weights learned from ${ranking.model.trainingRows} of your closed deals.`}{' '}
            Choosing whom to share with is up to you.
            {loading && ' Updating…'}
          </p>
          <ProblemNote problem={problem} />
          <ol className="idp-list" data-testid="idp-ranking">
            {ranking.partners.map((r) => (
              <li
                key={r.partner.id}
                className={r.rank === 1 ? 'idp-top' : undefined}
                data-testid="idp-partner"
              >
                <div className="idp-head">
                  <strong>
                    {r.rank}. {r.partner.name}
                  </strong>{' '}
                  {r.rank === 1 && <Badge tone="gold">Top pick</Badge>}
                  {!r.activated && <Badge tone="warn">Not activated</Badge>}
                  <span className="sub">
                    {label(r.partner.type)} · {r.partner.tier}
                  </span>
                  <span className="idp-prob" data-testid="idp-probability">
                    {pct(r.probability)} estimated win probability
                    <span className="sub">
                      {' '}
                      ({r.lift >= 0 ? '+' : '−'}
                      {Math.round(Math.abs(r.lift) * 100)} points vs your usual)
                    </span>
                  </span>
                </div>
                <Reasons reasons={r.reasons} name={r.partner.name} />
                {share(r.partner.slug, r.partner.name, r.partner.type)}
              </li>
            ))}
          </ol>
        </>
      )}
    </section>
  );
}

function Reasons({ reasons, name }: { reasons: Ranked['reasons']; name: string }) {
  const item = (r: Ranked['reasons'][number]) => (
    <li key={r.factor}>
      <span className={r.contribution > 0.005 ? 'up' : r.contribution < -0.005 ? 'down' : 'flat'}>
        {r.contribution > 0.005 ? 'For' : r.contribution < -0.005 ? 'Against' : 'Neutral'}
      </span>{' '}
      {factorWords[r.factor]}: {r.detail}
    </li>
  );
  return (
    <>
      <ul className="reasons" aria-label={`Reasons for ${name}`}>
        {reasons.slice(0, shownReasons).map(item)}
      </ul>
      {reasons.length > shownReasons && (
        <details className="reasons">
          <summary>All {reasons.length} reasons</summary>
          <ul>{reasons.slice(shownReasons).map(item)}</ul>
        </details>
      )}
    </>
  );
}
