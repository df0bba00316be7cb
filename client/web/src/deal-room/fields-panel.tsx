import { useState } from 'react';
import { currencyCodes } from '../../../../shared/money/currencies.ts';
import { motions } from '../../../../shared/opportunities/opportunity-fields.ts';
import { lostReasons, stages } from '../../../../shared/opportunities/stages.ts';
import { label, toMajorText, toMinor } from '../ui/format.ts';
import { SelectField, TextField } from './field-inputs.tsx';
import type { Presence } from './live-room.ts';

/** The shared fields as the page edits them (from the live document or the API). */
export interface SharedFields {
  title: string;
  customer: { name: string; domain?: string; [k: string]: unknown };
  amountMinor: number;
  currency: string;
  stage: string;
  expectedCloseDate: string;
  closeDate: string;
  lostReason: string;
  motion: string;
  nextStep: string;
}

export function toSharedFields(raw: Record<string, unknown>): SharedFields {
  const s = (v: unknown) => (typeof v === 'string' ? v : '');
  const customer =
    raw.customer && typeof raw.customer === 'object'
      ? (raw.customer as SharedFields['customer'])
      : { name: '' };
  return {
    title: s(raw.title),
    customer,
    amountMinor: typeof raw.amountMinor === 'number' ? raw.amountMinor : 0,
    currency: s(raw.currency) || 'USD',
    stage: s(raw.stage) || 'prospect',
    expectedCloseDate: s(raw.expectedCloseDate),
    closeDate: s(raw.closeDate),
    lostReason: s(raw.lostReason),
    motion: s(raw.motion) || 'co_sell',
    nextStep: s(raw.nextStep),
  };
}

const today = () => new Date().toISOString().slice(0, 10);

/**
 * Every shared field, editable by members who may write deals. `commit` receives a patch of the
 * fields that changed (a won or lost stage goes with its close date and reason, as one write).
 */
export function FieldsPanel({
  fields,
  readOnly,
  live,
  commit,
  focus,
  othersIn,
}: {
  fields: SharedFields;
  readOnly: boolean;
  live: boolean;
  commit: (patch: Record<string, unknown>) => void;
  focus: (field: string | null) => void;
  othersIn: (field: string) => Presence[];
}) {
  const [amountProblem, setAmountProblem] = useState(false);
  const [lostReason, setLostReason] = useState('');
  const [stageProblem, setStageProblem] = useState<string>();
  const common = (key: string) => ({
    id: `field-${key}`,
    readOnly,
    live,
    onFocusChange: (on: boolean) => focus(on ? key : null),
    others: othersIn(key),
  });
  const setStage = (stage: string) => {
    setStageProblem(undefined);
    if (stage === 'won')
      return commit({ stage, closeDate: fields.closeDate || today(), lostReason: null });
    if (stage === 'lost') {
      const reason = fields.lostReason || lostReason;
      if (!reason) return setStageProblem('Choose why the deal was lost first, then pick Lost.');
      return commit({ stage, closeDate: fields.closeDate || today(), lostReason: reason });
    }
    commit({ stage, closeDate: null, lostReason: null });
  };
  return (
    <section className="card fields" aria-labelledby="fields-title">
      <h2 id="fields-title">Shared fields</h2>
      <div className="grid">
        <TextField
          {...common('title')}
          label="Title"
          value={fields.title}
          onCommit={(v) => commit({ title: v })}
        />
        <TextField
          {...common('customer')}
          label="Customer"
          value={fields.customer.name}
          onCommit={(v) => commit({ customer: { ...fields.customer, name: v } })}
        />
        <TextField
          {...common('amountMinor')}
          label={`Amount (${fields.currency})`}
          inputMode="decimal"
          value={toMajorText(fields.amountMinor, fields.currency)}
          onCommit={(v) => {
            const minor = toMinor(v, fields.currency);
            setAmountProblem(minor === undefined);
            if (minor !== undefined) commit({ amountMinor: minor });
          }}
        >
          {amountProblem && (
            <span className="field-problem" role="alert">
              Enter an amount such as 12500.00.
            </span>
          )}
        </TextField>
        <SelectField
          {...common('currency')}
          label="Currency"
          value={fields.currency}
          options={currencyCodes.map((c) => ({ value: c, text: c }))}
          onCommit={(v) => commit({ currency: v })}
        />
        <div>
          <SelectField
            {...common('stage')}
            label="Stage"
            value={fields.stage}
            options={stages.map((s) => ({ value: s, text: label(s) }))}
            onCommit={setStage}
          />
          {stageProblem && (
            <span className="field-problem" role="alert">
              {stageProblem}
            </span>
          )}
        </div>
        <TextField
          {...common('expectedCloseDate')}
          type="date"
          label="Expected close"
          value={fields.expectedCloseDate}
          onCommit={(v) => commit({ expectedCloseDate: v || null })}
        />
        {(fields.stage === 'won' || fields.stage === 'lost') && (
          <TextField
            {...common('closeDate')}
            type="date"
            label="Closed on"
            value={fields.closeDate}
            onCommit={(v) => v && commit({ closeDate: v })}
          />
        )}
        <SelectField
          {...common('lostReason')}
          label="Lost reason"
          value={fields.stage === 'lost' ? fields.lostReason : lostReason}
          empty="—"
          options={lostReasons.map((r) => ({ value: r, text: label(r) }))}
          onCommit={(v) =>
            fields.stage === 'lost' ? v && commit({ lostReason: v }) : setLostReason(v)
          }
        />
        <SelectField
          {...common('motion')}
          label="Motion"
          value={fields.motion}
          options={motions.map((m) => ({ value: m, text: label(m) }))}
          onCommit={(v) => commit({ motion: v })}
        />
        <TextField
          {...common('nextStep')}
          label="Next step"
          value={fields.nextStep}
          onCommit={(v) => commit({ nextStep: v || null })}
        />
      </div>
    </section>
  );
}
