import { useState, type FormEvent } from 'react';
import { currencyCodes } from '../../../../shared/money/currencies.ts';
import {
  helpNeeds,
  motions,
  segments,
  type participantRoles,
} from '../../../../shared/opportunities/opportunity-fields.ts';
import type { Inputs, Partnership } from '../api/types.ts';
import { useApp } from '../app-context.tsx';
import { ProblemNote, CodeOptions } from '../ui/bits.tsx';
import { label, toMinor } from '../ui/format.ts';
import { navigate } from '../ui/router.tsx';
import { useAction } from '../ui/use-query.ts';
import { IdealPartnerCard, type DealDraft } from './ideal-partner-card.tsx';

type CreateInput = Inputs['opportunities']['create'];
type Motion = (typeof motions)[number];
type Segment = (typeof segments)[number];
type Role = Exclude<(typeof participantRoles)[number], 'originator'>;
type Help = (typeof helpNeeds)[number];

const common = ['USD', 'EUR', 'GBP'];
const currencies = [...common, ...currencyCodes.filter((c) => !common.includes(c))];

/**
 * The draft as the recommender sees it: only what is filled in and well formed so far, so a
 * half-typed domain or country does not stop the ranking.
 */
function draftOf(f: {
  customerName: string;
  domain: string;
  country: string;
  segment: Segment | '';
  industry: string;
  amount: string;
  currency: string;
  motion: Motion;
}): DealDraft {
  const amountMinor = toMinor(f.amount, f.currency);
  const domain = f.domain.trim();
  const country = f.country.trim();
  return {
    customer: {
      ...(f.customerName.trim() ? { name: f.customerName.trim() } : {}),
      ...(/^[^\s.]+(\.[^\s.]+)+$/.test(domain) ? { domain } : {}),
      ...(/^[a-z]{2}$/i.test(country) ? { country } : {}),
      ...(f.segment ? { segment: f.segment } : {}),
      ...(f.industry.trim() ? { industry: f.industry.trim() } : {}),
    },
    ...(amountMinor !== undefined ? { amountMinor, currency: f.currency } : {}),
    motion: f.motion,
  };
}

/** A new deal, and whom to share it with, chosen with the Ideal Deal Partner card in view. */
export function CreateDeal({
  partners,
  onCreated,
}: {
  partners: Partnership[];
  onCreated: () => void;
}) {
  const { api } = useApp();
  const action = useAction();
  const [f, setF] = useState({
    title: '',
    customerName: '',
    domain: '',
    country: '',
    segment: '' as Segment | '',
    industry: '',
    amount: '',
    currency: 'USD',
    expectedCloseDate: '',
    motion: 'co_sell' as Motion,
    externalRef: '',
    notes: '',
  });
  const [help, setHelp] = useState<Help[]>([]);
  const [share, setShare] = useState<Record<string, Role>>({});
  const [amountProblem, setAmountProblem] = useState(false);
  const set = (key: keyof typeof f) => (e: { target: { value: string } }) =>
    setF({ ...f, [key]: e.target.value });

  const onSubmit = async (e: FormEvent) => {
    e.preventDefault();
    const amountMinor = toMinor(f.amount, f.currency);
    setAmountProblem(amountMinor === undefined);
    if (amountMinor === undefined) return;
    const input: CreateInput = {
      fields: {
        title: f.title,
        customer: {
          name: f.customerName,
          ...(f.domain ? { domain: f.domain } : {}),
          ...(f.country ? { country: f.country } : {}),
          ...(f.segment ? { segment: f.segment } : {}),
          ...(f.industry ? { industry: f.industry } : {}),
        },
        amountMinor,
        currency: f.currency,
        motion: f.motion,
        helpRequested: help,
        ...(f.expectedCloseDate ? { expectedCloseDate: f.expectedCloseDate } : {}),
        ...(f.notes ? { notes: f.notes } : {}),
      },
      ...(f.externalRef ? { externalRef: f.externalRef } : {}),
      shareWith: Object.entries(share).map(([partner, role]) => ({ partner, role })),
    };
    const created = await action.run(() => api.opportunities.create.mutate(input));
    if (created) {
      onCreated();
      navigate(`/deals/${encodeURIComponent(created.id)}`);
    }
  };

  return (
    <form className="card create-deal" onSubmit={(e) => void onSubmit(e)} aria-label="New deal">
      <h2>New deal</h2>
      <div className="grid">
        <label>
          Title
          <input value={f.title} onChange={set('title')} required maxLength={200} autoFocus />
        </label>
        <label>
          Customer
          <input value={f.customerName} onChange={set('customerName')} required />
        </label>
        <label>
          Customer domain
          <input value={f.domain} onChange={set('domain')} placeholder="example.com" />
        </label>
        <label>
          Country
          <input value={f.country} onChange={set('country')} placeholder="DE" maxLength={2} />
        </label>
        <label>
          Segment
          <select value={f.segment} onChange={set('segment')}>
            <option value="">Not set</option>
            <CodeOptions codes={segments} />
          </select>
        </label>
        <label>
          Industry
          <input value={f.industry} onChange={set('industry')} />
        </label>
        <label>
          Amount
          <input
            value={f.amount}
            onChange={set('amount')}
            inputMode="decimal"
            required
            aria-invalid={amountProblem}
            aria-describedby={amountProblem ? 'amount-problem' : undefined}
          />
          {amountProblem && (
            <span id="amount-problem" className="field-problem">
              Enter an amount such as 12500 or 12,500.50.
            </span>
          )}
        </label>
        <label>
          Currency
          <select value={f.currency} onChange={set('currency')}>
            {currencies.map((c) => (
              <option key={c}>{c}</option>
            ))}
          </select>
        </label>
        <label>
          Expected close
          <input type="date" value={f.expectedCloseDate} onChange={set('expectedCloseDate')} />
        </label>
        <label>
          Motion
          <select value={f.motion} onChange={set('motion')}>
            <CodeOptions codes={motions} />
          </select>
        </label>
        <label>
          Your CRM id (private)
          <input value={f.externalRef} onChange={set('externalRef')} />
        </label>
      </div>
      <fieldset>
        <legend>Help asked of the partner</legend>
        <div className="checks">
          {helpNeeds.map((h) => (
            <label key={h} className="check">
              <input
                type="checkbox"
                checked={help.includes(h)}
                onChange={(e) =>
                  setHelp(e.target.checked ? [...help, h] : help.filter((x) => x !== h))
                }
              />
              {label(h)}
            </label>
          ))}
        </div>
      </fieldset>
      <label>
        Notes
        <textarea value={f.notes} onChange={set('notes')} rows={2} />
      </label>
      <IdealPartnerCard partners={partners} draft={draftOf(f)} chosen={share} onChoose={setShare} />
      <ProblemNote problem={action.problem} />
      <button type="submit" disabled={action.busy}>
        {action.busy ? 'Creating…' : 'Create the deal'}
      </button>
    </form>
  );
}
