import { useState, type FormEvent } from 'react';
import { builtinDimensions } from '../../../../shared/insights/partner-profile.ts';
import { partnerTypes } from '../../../../shared/tenancy/tenancy.ts';
import { useApp } from '../app-context.tsx';
import { CodeOptions, ProblemNote } from '../ui/bits.tsx';
import { label } from '../ui/format.ts';
import { rolesWith } from '../ui/no-access.tsx';
import { useAction } from '../ui/use-query.ts';

const dimensionHelp: Record<(typeof builtinDimensions)[number], string> = {
  account_overlap: 'accounts you both hold',
  segment_fit: 'won deals in your target segments',
  motion_fit: 'their type fits how you sell',
  selling_capacity: 'deals a year with you',
};

/** Sets the profile of one partner type through `partnerProfiles.set` (partners:manage). */
export function ProfileForm({ onSaved }: { onSaved: () => void }) {
  const { api, can } = useApp();
  const save = useAction();
  const [partnerType, setPartnerType] = useState<(typeof partnerTypes)[number]>('reseller');
  const [weights, setWeights] = useState<Record<string, string>>(
    Object.fromEntries(builtinDimensions.map((d) => [d, '1'])),
  );
  const [recruit, setRecruit] = useState('60');
  const [nurture, setNurture] = useState('30');
  const [saved, setSaved] = useState<string>();

  if (!can('partners:manage'))
    return (
      <p className="sub">
        Partner profiles are defined by {rolesWith('partners:manage').join(' or ')} members of your
        company.
      </p>
    );

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setSaved(undefined);
    const done = await save.run(() =>
      api.partnerProfiles.set.mutate({
        partnerType,
        dimensions: builtinDimensions.map((key) => ({ key, weight: Number(weights[key] || 0) })),
        thresholds: { recruit: Number(recruit) / 100, nurture: Number(nurture) / 100 },
      }),
    );
    if (done) {
      setSaved(`Saved the ${label(partnerType).toLowerCase()} profile.`);
      onSaved();
    }
  };

  return (
    <form
      className="card profile-form"
      aria-label="Partner profile"
      onSubmit={(e) => void submit(e)}
    >
      <label>
        Partner type
        <select
          value={partnerType}
          onChange={(e) => setPartnerType(e.target.value as (typeof partnerTypes)[number])}
        >
          <CodeOptions codes={partnerTypes} />
        </select>
      </label>
      <fieldset>
        <legend>Weights (0–100)</legend>
        <div className="profile-weights">
          {builtinDimensions.map((d) => (
            <label key={d}>
              {label(d)}
              <input
                type="number"
                min={0}
                max={100}
                step="any"
                inputMode="decimal"
                value={weights[d]}
                onChange={(e) => setWeights({ ...weights, [d]: e.target.value })}
                aria-describedby={`help-${d}`}
              />
              <span className="sub" id={`help-${d}`}>
                {dimensionHelp[d]}
              </span>
            </label>
          ))}
        </div>
      </fieldset>
      <fieldset>
        <legend>Buckets by score</legend>
        <div className="profile-weights">
          <label>
            Recruit at (%)
            <input
              type="number"
              min={0}
              max={100}
              value={recruit}
              onChange={(e) => setRecruit(e.target.value)}
            />
          </label>
          <label>
            Nurture at (%)
            <input
              type="number"
              min={0}
              max={100}
              value={nurture}
              onChange={(e) => setNurture(e.target.value)}
            />
          </label>
        </div>
      </fieldset>
      <ProblemNote problem={save.problem} />
      <div className="actions">
        <button type="submit" disabled={save.busy}>
          {save.busy ? 'Saving…' : 'Save the profile'}
        </button>
        {saved && (
          <span role="status" className="sub">
            {saved}
          </span>
        )}
      </div>
    </form>
  );
}
