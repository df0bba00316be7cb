import { useState } from 'react';
import { currencyCodes } from '../../../../shared/money/currencies.ts';
import { motions } from '../../../../shared/opportunities/opportunity-fields.ts';
import { lostReasons, stages } from '../../../../shared/opportunities/stages.ts';
import { ConfirmDialog } from '../ui/confirm-dialog.tsx';
import { date, label, toMajorText, toMinor } from '../ui/format.ts';
import { SelectField, TextField } from './field-inputs.tsx';
import type { FieldState } from './field-status.ts';
import type { UndoNotice } from './field-undo.ts';
import { fieldLabel, showValue } from './field-words.ts';
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

const amountProblem = (currency: string) => (text: string) =>
  toMinor(text, currency) === undefined
    ? 'Not saved: enter an amount such as 12500.00 (Esc puts the saved amount back).'
    : null;

/** What the undo bar offers: the last change made here, or what became of an undo. */
export interface UndoBarState {
  notice: UndoNotice | null;
  canUndo: boolean;
  undo: () => void;
  dismiss: () => void;
}

/**
 * Every shared field, editable by members who may write deals. `commit` receives a patch of the
 * fields that changed (a won or lost stage goes with its close date and reason, as one write,
 * once its consequences are confirmed). Each field says whether its last edit is saving, saved
 * or kept offline, and the one problem it has, if any.
 */
export function FieldsPanel({
  fields,
  readOnly,
  live,
  commit,
  focus,
  othersIn,
  statusOf,
  unsaved,
  companies,
  alsoOnClose = [],
  undo,
}: {
  fields: SharedFields;
  readOnly: boolean;
  live: boolean;
  commit: (patch: Record<string, unknown>) => void;
  focus: (field: string | null) => void;
  othersIn: (field: string) => Presence[];
  statusOf: (field: string) => FieldState | undefined;
  /** Fields not saved yet, and whether they wait for the connection. */
  unsaved: { fields: string[]; offline: boolean };
  /** The companies taking part, this one first: who sees a change at once. */
  companies: string[];
  /** Further consequences of closing the deal, said in the confirmation. */
  alsoOnClose?: string[];
  undo?: UndoBarState;
}) {
  const [lostReason, setLostReason] = useState('');
  const [closing, setClosing] = useState<'won' | 'lost' | null>(null);
  const common = (key: string) => ({
    id: `field-${key}`,
    field: key,
    readOnly,
    live,
    onFocusChange: (on: boolean) => focus(on ? key : null),
    others: othersIn(key),
    status: statusOf(key),
  });
  const setStage = (stage: string) => {
    if (stage === fields.stage) return;
    if (stage === 'won' || stage === 'lost') return setClosing(stage);
    commit({ stage, closeDate: null, lostReason: null });
  };
  return (
    <section className="card fields" aria-labelledby="fields-title">
      <div className="fields-head">
        <h2 id="fields-title">Shared fields</h2>
        <SaveSummary unsaved={unsaved} />
      </div>
      {undo && <UndoBar {...undo} currency={fields.currency} />}
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
          validate={amountProblem(fields.currency)}
          onCommit={(v) => {
            const minor = toMinor(v, fields.currency);
            if (minor !== undefined) commit({ amountMinor: minor });
          }}
        />
        <SelectField
          {...common('currency')}
          label="Currency"
          value={fields.currency}
          options={currencyCodes.map((c) => ({ value: c, text: c }))}
          onCommit={(v) => commit({ currency: v })}
        />
        <SelectField
          {...common('stage')}
          label="Stage"
          value={fields.stage}
          options={stages.map((s) => ({ value: s, text: label(s) }))}
          onCommit={setStage}
        />
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
      {closing && (
        <CloseDealDialog
          outcome={closing}
          fields={fields}
          companies={companies}
          also={alsoOnClose}
          live={live}
          reason={fields.lostReason || lostReason}
          onCancel={() => setClosing(null)}
          onConfirm={(reason) => {
            setClosing(null);
            commit({
              stage: closing,
              closeDate: fields.closeDate || today(),
              lostReason: closing === 'lost' ? reason : null,
            });
          }}
        />
      )}
    </section>
  );
}

/**
 * Won or lost, said before it happens: both companies see it at once, the close date it gets,
 * and what follows (attribution opens for a win; a loss records its reason for both).
 */
function CloseDealDialog({
  outcome,
  fields,
  companies,
  also,
  live,
  reason: initialReason,
  onCancel,
  onConfirm,
}: {
  outcome: 'won' | 'lost';
  fields: SharedFields;
  companies: string[];
  also: string[];
  live: boolean;
  reason: string;
  onCancel: () => void;
  onConfirm: (lostReason: string) => void;
}) {
  const [reason, setReason] = useState(initialReason);
  const [mine, ...partners] = companies;
  const who =
    partners.length > 0
      ? `${mine ?? 'Your company'} and ${partners.join(', ')} see the deal as ${outcome} at once.`
      : `Everyone in the deal sees it as ${outcome} at once.`;
  return (
    <ConfirmDialog
      title={`Mark “${fields.title}” as ${outcome}?`}
      confirmLabel={outcome === 'won' ? 'Mark as won' : 'Mark as lost'}
      confirmDisabled={outcome === 'lost' && !reason}
      onCancel={onCancel}
      onConfirm={() => onConfirm(reason)}
      returnFocusTo={() => document.getElementById('field-stage')}
    >
      <p>This changes the one shared record of the deal:</p>
      <ul className="consequences">
        <li>{who}</li>
        <li>
          {fields.closeDate
            ? `The close date stays ${date(fields.closeDate)}.`
            : `The close date is set to today, ${date(today())}.`}
        </li>
        {outcome === 'won' ? (
          <li>
            Attribution opens: either company can propose who earned which share of the win, and
            both sign it.
          </li>
        ) : (
          <li>The reason it was lost is recorded for both companies.</li>
        )}
        {also.map((line) => (
          <li key={line}>{line}</li>
        ))}
        <li>
          {live
            ? 'You can undo it right after, as long as no one has changed the stage since.'
            : 'It is saved at once; change the stage again to reopen the deal.'}
        </li>
      </ul>
      {outcome === 'lost' && (
        <label>
          Why was it lost?
          <select
            value={reason}
            onChange={(e) => setReason(e.target.value)}
            {...(reason ? {} : { 'data-autofocus': true })}
          >
            <option value="">Choose a reason…</option>
            {lostReasons.map((r) => (
              <option key={r} value={r}>
                {label(r)}
              </option>
            ))}
          </select>
        </label>
      )}
    </ConfirmDialog>
  );
}

/** One line for the whole panel: all saved, what is saving, or what waits for the connection. */
function SaveSummary({ unsaved }: { unsaved: { fields: string[]; offline: boolean } }) {
  const names = unsaved.fields.map(fieldLabel).join(', ');
  const text =
    unsaved.fields.length === 0
      ? null
      : unsaved.offline
        ? `Offline: ${names} kept here, sent when you are back online`
        : `Saving ${names}…`;
  return (
    <span
      className={`save-summary${unsaved.offline ? ' save-offline' : ''}`}
      data-testid="save-summary"
      role="status"
    >
      {text ?? 'All changes saved'}
    </span>
  );
}

function describeChanges(
  changes: { field: string; before: unknown; after: unknown }[],
  currency: string,
) {
  return changes
    .map(
      (c) =>
        `${fieldLabel(c.field)} from ${showValue(c.field, c.before, currency)} to ${showValue(c.field, c.after, currency)}`,
    )
    .join(', ');
}

/** "You changed Stage from Qualified to Won. Undo", and what became of an undo. */
function UndoBar({
  notice,
  canUndo,
  undo,
  dismiss,
  currency,
}: UndoBarState & { currency: string }) {
  if (!notice) return null;
  let text: string;
  if (notice.kind === 'changed') text = `You changed ${describeChanges(notice.changes, currency)}.`;
  else if (notice.kind === 'undone')
    text = `Undone: ${notice.changes
      .map((c) => `${fieldLabel(c.field)} is back to ${showValue(c.field, c.before, currency)}`)
      .join(', ')}.`;
  else
    text = `Not undone: ${notice.by ?? 'someone else'} changed ${fieldLabel(notice.field)} since${
      notice.now === null ? '' : ` (to ${showValue(notice.field, notice.now, currency)})`
    }. Their change stays.`;
  return (
    <div
      className={`undo-bar${notice.kind === 'refused' ? ' undo-refused' : ''}`}
      data-testid="undo-bar"
      role={notice.kind === 'refused' ? 'alert' : 'status'}
    >
      <span>{text}</span>
      {notice.kind === 'changed' && canUndo && (
        <button type="button" className="small" onClick={undo} title="Ctrl+Z or ⌘Z">
          Undo
        </button>
      )}
      <button type="button" className="small quiet" onClick={dismiss} aria-label="Dismiss">
        ×
      </button>
    </div>
  );
}
