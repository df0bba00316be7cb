import type { DealDetail } from '../api/types.ts';
import { dateTime, label } from '../ui/format.ts';
import { fieldLabel, showValue } from './field-words.ts';

type Entry = DealDetail['history'][number];
type Change = NonNullable<Entry['changes']>[number];

/** One line of the history: one event, or several edits of the same text by the same person. */
interface Shown {
  key: string;
  first: Entry;
  last: Entry;
  /** The events it stands for (more than one: grouped edits). */
  count: number;
  what: string;
  /** Field by field, the first value before and the last after (notes: summed). */
  changes: Change[];
}

/** Edits of these, by one person, close together, read as one: typing, not decisions. */
const typedFields = new Set([
  'title',
  'customer.name',
  'customer.domain',
  'customer.industry',
  'amountMinor',
  'nextStep',
  'notes',
]);
const groupWindowMs = 2 * 60_000;

const authorKey = (e: Entry) =>
  `${e.author.companyId}/${e.author.kind}/${e.author.id}/${e.author.via ?? ''}`;

/** Who made the change: a person, an API client, or someone's agent (a change made over MCP). */
function who(e: Entry): string {
  const name = e.author.name ?? (e.author.kind === 'system' ? 'Tandem' : label(e.author.kind));
  const company = e.author.companySlug ? ` · ${e.author.companySlug}` : '';
  return e.author.via === 'mcp' ? `${name}'s agent${company}` : `${name}${company}`;
}

/** One ledger event in words (its field changes are listed under it). */
function describe(e: Entry, deal: DealDetail): string {
  const data = (e.data ?? {}) as Record<string, unknown>;
  const company = (id: unknown) =>
    deal.participants.find((p) => p.company.id === id)?.company.name ?? 'A company';
  switch (e.type) {
    case 'opportunity.created':
      return 'Deal created';
    case 'opportunity.updated':
      // The changes say it; a stage moved back is worth a word.
      return data.backward ? 'Moved back' : '';
    case 'opportunity.ref_set':
      return `Your CRM id set to ${String(data.externalRef)}`;
    case 'opportunity.dated':
      return 'Dates from the CRM recorded';
    case 'participant.invited':
      return `${company(data.companyId)} invited as ${label(String(data.role))}`;
    case 'participant.accepted':
      return `${company(data.companyId)} joined the deal`;
    case 'participant.declined':
      return `${company(data.companyId)} declined: ${label(String(data.reason))}`;
    case 'participant.removed':
      return `${company(data.companyId)} removed from the deal`;
    case 'participant.sponsor_set':
      return `${company(data.companyId)} named ${String(data.sponsor)} executive sponsor`;
    case 'duplicate.flagged':
      return 'Flagged as a possible duplicate';
    case 'step.added': {
      const step = (data.step ?? {}) as Record<string, unknown>;
      return `Step added: ${String(step.title ?? label(String(step.play ?? 'step')))}`;
    }
    case 'step.updated': {
      const step = deal.steps.find((s) => s.id === data.stepId);
      return `Step updated${step ? `: ${step.title ?? label(step.play)}` : ''}`;
    }
    default:
      return label(e.type.replace(/[._]/g, ' '));
  }
}

/** Folds `next` into the changes of a group: first "from", last "to"; notes summed. */
function fold(into: Change[], next: Change[]): Change[] {
  const out = [...into];
  for (const change of next) {
    const at = out.findIndex((c) => c.field === change.field);
    if (at < 0) out.push(change);
    else if (change.diff && out[at]!.diff) {
      const a = out[at]!.diff!;
      const b = change.diff;
      const excerpt = b.added > 0 && a.added > 0 ? a.excerpt + b.excerpt : a.excerpt || b.excerpt;
      out[at] = {
        field: change.field,
        diff: { added: a.added + b.added, removed: a.removed + b.removed, excerpt },
      };
    } else out[at] = { ...out[at]!, to: change.to };
  }
  return out;
}

const sameFields = (a: Change[], b: Change[]) =>
  a.length === b.length && a.every((c) => b.some((d) => d.field === c.field));

/**
 * The history to show, newest first: the raw edits of the room (`doc.updated`) left out (what
 * they changed is in the events recorded with them), and consecutive edits of the same text
 * fields by the same person within two minutes grouped as one line.
 */
export function readableHistory(deal: DealDetail): Shown[] {
  const shown: Shown[] = [];
  for (const e of deal.history) {
    if (e.type === 'doc.updated') continue;
    const changes = e.changes ?? [];
    if (e.type === 'opportunity.updated' && changes.length === 0) continue;
    const prev = shown.at(-1);
    if (
      prev &&
      e.type === 'opportunity.updated' &&
      prev.last.type === 'opportunity.updated' &&
      authorKey(prev.last) === authorKey(e) &&
      Date.parse(e.at) - Date.parse(prev.last.at) <= groupWindowMs &&
      changes.every((c) => typedFields.has(c.field)) &&
      sameFields(prev.changes, changes)
    ) {
      prev.changes = fold(prev.changes, changes);
      prev.last = e;
      prev.count += 1;
      continue;
    }
    shown.push({
      key: e.id,
      first: e,
      last: e,
      count: 1,
      what: describe(e, deal),
      changes,
    });
  }
  return shown.reverse();
}

function changeText(c: Change, currency: string): string {
  if (c.diff) {
    const { added, removed, excerpt } = c.diff;
    const counts = [added > 0 ? `+${added}` : '', removed > 0 ? `−${removed}` : '']
      .filter(Boolean)
      .join(' ');
    const words = excerpt.trim();
    const said = words ? ` ${added > 0 ? 'added' : 'removed'} “${words}”` : '';
    return `${fieldLabel(c.field)}: ${counts || '±0'} characters${said}`;
  }
  return `${fieldLabel(c.field)}: ${showValue(c.field, c.from, currency)} → ${showValue(c.field, c.to, currency)}`;
}

/** The deal's history from the ledger, newest first: who changed which field from what to what. */
export function HistoryPanel({ deal }: { deal: DealDetail }) {
  const entries = readableHistory(deal);
  const currency = deal.fields?.currency ?? 'USD';
  return (
    <section className="card history" aria-labelledby="history-title">
      <h2 id="history-title">History</h2>
      {entries.length === 0 ? (
        <p className="empty">Nothing recorded yet.</p>
      ) : (
        <ol className="timeline">
          {entries.slice(0, 100).map((s) => {
            const e = s.last;
            return (
              <li key={s.key} data-testid="history-entry">
                <span className="when">
                  <time dateTime={e.at}>{dateTime(e.at)}</time>
                  {s.count > 1 && <span className="sub"> · {s.count} edits</span>}
                </span>
                {s.what && <span className="what">{s.what}</span>}
                {s.changes.length > 0 && (
                  <span className="changes">
                    {s.changes.map((c) => (
                      <span key={c.field} className="change">
                        {changeText(c, currency)}
                      </span>
                    ))}
                  </span>
                )}
                <span className="by">
                  <span
                    className="who"
                    title={
                      e.author.via === 'mcp' ? `through the agent tool ${e.author.tool}` : undefined
                    }
                  >
                    {who(e)}
                  </span>
                  {e.author.via === 'mcp' && (
                    <span className="badge badge-info via" title={`agent tool ${e.author.tool}`}>
                      via MCP
                    </span>
                  )}
                </span>
              </li>
            );
          })}
        </ol>
      )}
      {entries.length > 100 && <p className="sub">The 100 latest of {entries.length} entries.</p>}
    </section>
  );
}
