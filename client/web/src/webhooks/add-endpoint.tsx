import { useId, useRef, useState, type FormEvent, type RefObject } from 'react';
import { eventTypePattern } from '../../../../shared/webhooks/event-types.ts';
import { createEndpointInput } from '../../../../shared/webhooks/webhook-input.ts';
import { toProblem, type Problem } from '../api/errors.ts';
import { useApp } from '../app-context.tsx';
import { ProblemNote } from '../ui/bits.tsx';
import { useAction } from '../ui/use-query.ts';

// The form that adds a webhook endpoint: it checks itself before sending, and says each problem
// once, beside its field, in words (the server's refusals too).

type Field = 'url' | 'eventTypes';

/** The form's fields in words, for issues the server names by path (`url`, `eventTypes.0`). */
const fieldOf = (path: string): Field | undefined =>
  path === 'url' || path.startsWith('url.')
    ? 'url'
    : path === 'eventTypes' || path.startsWith('eventTypes.')
      ? 'eventTypes'
      : undefined;

const urlWords =
  'Enter the full web address of your endpoint, starting with https://, for example https://example.com/tandem.';
const typeWords =
  'use an exact type (opportunity.updated), a prefix ending in .* (opportunity.*), or * for everything.';

/** The event types as typed: separated by commas or spaces. */
function typesOf(text: string): string[] {
  return text
    .split(/[\s,]+/)
    .map((t) => t.trim())
    .filter(Boolean);
}

/** What is wrong with the URL as typed, in words; undefined when the server may take it. */
function checkUrl(url: string): string | undefined {
  if (!url.trim()) return urlWords;
  return createEndpointInput.shape.url.safeParse(url).success ? undefined : urlWords;
}

/** What is wrong with the event types as typed, in words; undefined when they are well formed. */
function checkTypes(text: string): string | undefined {
  const types = typesOf(text);
  const bad = types.filter((t) => !eventTypePattern.test(t));
  if (bad.length > 0)
    return `${bad.map((t) => `“${t}”`).join(', ')} ${bad.length === 1 ? 'is not an event type' : 'are not event types'}: ${typeWords}`;
  const long = types.find((t) => t.length > 200);
  if (long) return `“${long.slice(0, 40)}…” is too long for an event type: at most 200 characters.`;
  if (types.length > 50)
    return 'Name at most 50 event types, or use a prefix such as opportunity.*.';
  return undefined;
}

/** The server's refusal of a URL, in words. */
function urlRefusal(message: string): string {
  if (/private or local address/.test(message))
    return 'This address is on a private network. Tandem delivers webhooks only to public addresses.';
  if (/does not resolve/.test(message))
    return 'Tandem cannot find this host. Check the address for typing mistakes.';
  if (/https:/.test(message)) return 'Use an https:// address: deliveries carry deal data.';
  return urlWords;
}

/**
 * A refusal's issues as one sentence per field of the form, in words (never the raw path), and
 * what is left over (issues of no field of the form), for the form's own note.
 */
function wordsForIssues(
  problem: Problem,
  sentTypes: string[],
): { fields: Partial<Record<Field, string>>; rest: Problem | undefined } {
  const fields: Partial<Record<Field, string>> = {};
  const rest = problem.issues.filter((i) => !fieldOf(i.path));
  for (const issue of problem.issues) {
    const field = fieldOf(issue.path);
    if (!field || fields[field]) continue;
    if (field === 'url') fields.url = urlRefusal(issue.message);
    else {
      const n = Number(issue.path.split('.')[1]);
      const typed = Number.isInteger(n) ? sentTypes[n] : undefined;
      fields.eventTypes = typed
        ? `“${typed}” is not an event type: ${typeWords}`
        : `Check the event types: ${typeWords}`;
    }
  }
  const onlyFields = rest.length === 0 && Object.keys(fields).length > 0;
  return {
    fields,
    rest: onlyFields ? undefined : { ...problem, issues: rest },
  };
}

export function AddEndpoint({
  onAdded,
  urlRef,
}: {
  onAdded: () => void;
  urlRef: RefObject<HTMLInputElement | null>;
}) {
  const { api } = useApp();
  const id = useId();
  const [url, setUrl] = useState('');
  const [types, setTypes] = useState('opportunity.*');
  const action = useAction();
  // Each field's problem, shown once beside it; a field's problem goes when its value is fixed.
  const [issues, setIssues] = useState<Partial<Record<Field, string>>>({});
  const [other, setOther] = useState<Problem>();
  const typesRef = useRef<HTMLInputElement>(null);

  const show = (found: Partial<Record<Field, string>>) => {
    setIssues(found);
    if (found.url) urlRef.current?.focus();
    else if (found.eventTypes) typesRef.current?.focus();
  };

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setOther(undefined);
    const local = { url: checkUrl(url), eventTypes: checkTypes(types) };
    if (local.url || local.eventTypes) return show(local);
    setIssues({});
    const eventTypes = typesOf(types);
    let refused: Problem | undefined;
    const created = await action.run(async () => {
      try {
        return await api.webhooks.create.mutate({
          url: url.trim(),
          eventTypes: eventTypes.length ? eventTypes : ['*'],
        });
      } catch (error) {
        refused = toProblem(error);
        throw error;
      }
    });
    if (created) {
      setUrl('');
      onAdded();
    } else if (refused) {
      const worded = wordsForIssues(refused, eventTypes);
      show(worded.fields);
      setOther(worded.rest);
    }
  };

  // Re-checked as it is typed once a field has a problem: the note goes as soon as it is right.
  const change = (field: Field, value: string) => {
    if (field === 'url') setUrl(value);
    else setTypes(value);
    if (!issues[field]) return;
    const still = field === 'url' ? checkUrl(value) : checkTypes(value);
    setIssues((now) => ({ ...now, [field]: still }));
  };

  const urlIssue = issues.url;
  const typesIssue = issues.eventTypes;
  return (
    <form aria-label="Add an endpoint" className="card" onSubmit={submit} noValidate>
      <h2>Add an endpoint</h2>
      <label htmlFor={`${id}-url`}>Endpoint URL</label>
      <input
        id={`${id}-url`}
        ref={urlRef}
        type="url"
        required
        value={url}
        placeholder="https://example.com/tandem"
        onChange={(e) => change('url', e.target.value)}
        aria-invalid={urlIssue ? true : undefined}
        aria-describedby={urlIssue ? `${id}-url-issue` : undefined}
      />
      {urlIssue && (
        <p id={`${id}-url-issue`} className="field-problem" data-testid="field-problem">
          {urlIssue}
        </p>
      )}
      <label htmlFor={`${id}-types`}>Event types</label>
      <input
        id={`${id}-types`}
        ref={typesRef}
        value={types}
        onChange={(e) => change('eventTypes', e.target.value)}
        aria-invalid={typesIssue ? true : undefined}
        aria-describedby={`${id}-types-help${typesIssue ? ` ${id}-types-issue` : ''}`}
      />
      <p id={`${id}-types-help`} className="hint">
        Separate with commas: an exact type (opportunity.updated), a prefix ending in .*
        (opportunity.*), or * for everything.
      </p>
      {typesIssue && (
        <p id={`${id}-types-issue`} className="field-problem" data-testid="field-problem">
          {typesIssue}
        </p>
      )}
      <ProblemNote
        problem={
          other ?? (action.problem && !action.problem.issues.length ? action.problem : undefined)
        }
      />
      <button type="submit" disabled={action.busy}>
        {action.busy ? 'Adding…' : 'Add endpoint'}
      </button>
    </form>
  );
}
