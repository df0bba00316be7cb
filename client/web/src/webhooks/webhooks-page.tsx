import { useEffect, useId, useState, type FormEvent } from 'react';
import { issueText, type Problem } from '../api/errors.ts';
import type { Outputs } from '../api/types.ts';
import { useApp } from '../app-context.tsx';
import { Badge, Busy, ProblemNote } from '../ui/bits.tsx';
import { dateTime } from '../ui/format.ts';
import { useAction, useQuery } from '../ui/use-query.ts';

type Endpoint = Outputs['webhooks']['list'][number];
type Delivery = Outputs['webhooks']['deliveries']['deliveries'][number];

/** How often an open delivery log looks for new deliveries. */
const logRefreshMs = 1500;

const statusTone: Record<string, string> = {
  active: 'ok',
  paused: 'plain',
  failing: 'warn',
  delivered: 'ok',
  pending: 'info',
  failed: 'warn',
};

/** The issues of one field (`url`, `eventTypes.0`) in words, or undefined. */
function fieldIssues(problem: Problem | undefined, field: string): string | undefined {
  const own = problem?.issues.filter((i) => i.path === field || i.path.startsWith(`${field}.`));
  return own && own.length > 0 ? own.map(issueText).join('; ') : undefined;
}

/**
 * Outbound webhooks (`webhooks.*`): the company's endpoints, adding one, pause and resume, remove,
 * replay from a cursor, and each endpoint's delivery log.
 */
export function WebhooksPage() {
  const { api, can } = useApp();
  const allowed = can('webhooks:manage');
  return (
    <section aria-labelledby="webhooks-title">
      <div className="page-head">
        <h1 id="webhooks-title">Webhooks</h1>
      </div>
      {allowed ? (
        <Endpoints api={api} />
      ) : (
        <p>
          Your role cannot manage webhooks. An admin or an alliance manager of your company can add
          and change endpoints.
        </p>
      )}
    </section>
  );
}

function Endpoints({ api }: { api: ReturnType<typeof useApp>['api'] }) {
  const list = useQuery(() => api.webhooks.list.query(), 'webhooks');
  return (
    <>
      <AddEndpoint onAdded={list.reload} />
      <h2>Endpoints</h2>
      {list.data ? (
        list.data.length === 0 ? (
          <p>No endpoints yet. Add one above to receive the company’s deal events.</p>
        ) : (
          list.data.map((e) => <EndpointCard key={e.id} endpoint={e} onChanged={list.reload} />)
        )
      ) : list.problem ? (
        <ProblemNote problem={list.problem} />
      ) : (
        <Busy>Loading endpoints…</Busy>
      )}
      {list.data && <ProblemNote problem={list.problem} />}
    </>
  );
}

function AddEndpoint({ onAdded }: { onAdded: () => void }) {
  const { api } = useApp();
  const id = useId();
  const [url, setUrl] = useState('');
  const [types, setTypes] = useState('opportunity.*');
  const action = useAction();
  const urlIssue = fieldIssues(action.problem, 'url');
  const typesIssue = fieldIssues(action.problem, 'eventTypes');

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const eventTypes = types
      .split(/[\s,]+/)
      .map((t) => t.trim())
      .filter(Boolean);
    const created = await action.run(() =>
      api.webhooks.create.mutate({ url, eventTypes: eventTypes.length ? eventTypes : ['*'] }),
    );
    if (created) {
      setUrl('');
      onAdded();
    }
  };

  return (
    <form aria-label="Add an endpoint" className="card" onSubmit={submit} noValidate>
      <h2>Add an endpoint</h2>
      <label htmlFor={`${id}-url`}>Endpoint URL</label>
      <input
        id={`${id}-url`}
        type="url"
        required
        value={url}
        placeholder="https://example.com/tandem"
        onChange={(e) => setUrl(e.target.value)}
        aria-invalid={urlIssue ? true : undefined}
        aria-describedby={urlIssue ? `${id}-url-issue` : undefined}
      />
      {urlIssue && (
        <p id={`${id}-url-issue`} className="field-problem">
          {urlIssue}
        </p>
      )}
      <label htmlFor={`${id}-types`}>Event types</label>
      <input
        id={`${id}-types`}
        value={types}
        onChange={(e) => setTypes(e.target.value)}
        aria-invalid={typesIssue ? true : undefined}
        aria-describedby={`${id}-types-help${typesIssue ? ` ${id}-types-issue` : ''}`}
      />
      <p id={`${id}-types-help`} className="hint">
        Separate with commas: an exact type (opportunity.updated), a prefix ending in .*
        (opportunity.*), or * for everything.
      </p>
      {typesIssue && (
        <p id={`${id}-types-issue`} className="field-problem">
          {typesIssue}
        </p>
      )}
      <ProblemNote problem={action.problem} />
      <button type="submit" disabled={action.busy}>
        {action.busy ? 'Adding…' : 'Add endpoint'}
      </button>
    </form>
  );
}

function EndpointCard({ endpoint: e, onChanged }: { endpoint: Endpoint; onChanged: () => void }) {
  const { api } = useApp();
  const id = useId();
  const action = useAction();
  const [confirming, setConfirming] = useState(false);
  const [after, setAfter] = useState('');
  const [replayed, setReplayed] = useState<string>();
  const log = useQuery(() => api.webhooks.deliveries.query({ id: e.id, limit: 50 }), `log:${e.id}`);
  const reloadLog = log.reload;
  useEffect(() => {
    const timer = setInterval(reloadLog, logRefreshMs);
    return () => clearInterval(timer);
  }, [reloadLog]);

  const setStatus = async (status: 'active' | 'paused') => {
    if (await action.run(() => api.webhooks.update.mutate({ id: e.id, status }))) onChanged();
  };
  const remove = async () => {
    if (await action.run(() => api.webhooks.remove.mutate({ id: e.id }))) onChanged();
    setConfirming(false);
  };
  const replay = async (ev: FormEvent) => {
    ev.preventDefault();
    setReplayed(undefined);
    const cursor = after.trim();
    const input = cursor ? { id: e.id, after: cursor } : { id: e.id };
    if (await action.run(() => api.webhooks.replay.mutate(input))) {
      setReplayed(
        cursor
          ? 'Replaying every event after that cursor.'
          : 'Replaying every event from the start.',
      );
      onChanged();
      log.reload();
    }
  };

  return (
    <article className="card" aria-labelledby={`${id}-title`} data-testid="webhook-endpoint">
      <h3 id={`${id}-title`} className="break">
        {e.url}
      </h3>
      <p>
        <Badge tone={statusTone[e.status]}>{e.status}</Badge> Events: {e.eventTypes.join(', ')} ·
        {e.pending} pending · cursor <code>{e.cursor}</code>
      </p>
      {e.status === 'failing' && e.failureReason && (
        <p role="status">Failing: {e.failureReason}. Resume to retry its failed deliveries.</p>
      )}
      <div className="actions">
        {e.status === 'active' ? (
          <button type="button" onClick={() => setStatus('paused')} disabled={action.busy}>
            Pause
          </button>
        ) : (
          <button type="button" onClick={() => setStatus('active')} disabled={action.busy}>
            Resume
          </button>
        )}
        {confirming ? (
          <span role="group" aria-label="Confirm removal">
            Remove this endpoint and its log?{' '}
            <button type="button" className="danger" onClick={remove} disabled={action.busy}>
              Yes, remove
            </button>{' '}
            <button type="button" onClick={() => setConfirming(false)}>
              Keep it
            </button>
          </span>
        ) : (
          <button type="button" onClick={() => setConfirming(true)}>
            Remove
          </button>
        )}
      </div>
      <form aria-label={`Replay for ${e.url}`} className="inline-form" onSubmit={replay}>
        <label htmlFor={`${id}-after`}>Replay events after cursor (empty: from the start)</label>
        <input id={`${id}-after`} value={after} onChange={(ev) => setAfter(ev.target.value)} />
        <button type="submit" disabled={action.busy}>
          Replay
        </button>
      </form>
      {replayed && <p role="status">{replayed}</p>}
      <ProblemNote problem={action.problem} />
      <DeliveryLog url={e.url} deliveries={log.data?.deliveries} problem={log.problem} />
    </article>
  );
}

function DeliveryLog({
  url,
  deliveries,
  problem,
}: {
  url: string;
  deliveries: Delivery[] | undefined;
  problem: Problem | undefined;
}) {
  if (!deliveries)
    return problem ? <ProblemNote problem={problem} /> : <Busy>Loading the log…</Busy>;
  return (
    <div className="table-wrap">
      <table data-testid="delivery-log">
        <caption>Delivery log for {url}</caption>
        <thead>
          <tr>
            <th scope="col">Event</th>
            <th scope="col">Type</th>
            <th scope="col">Status</th>
            <th scope="col">Attempts</th>
            <th scope="col">Latency</th>
            <th scope="col">Last error</th>
            <th scope="col">Next attempt</th>
          </tr>
        </thead>
        <tbody>
          {deliveries.length === 0 ? (
            <tr>
              <td colSpan={7}>No deliveries yet.</td>
            </tr>
          ) : (
            deliveries.map((d) => (
              <tr key={d.eventId}>
                <td>
                  {d.eventId} <span className="hint">(cursor {d.cursor})</span>
                </td>
                <td>{d.type}</td>
                <td>
                  <Badge tone={statusTone[d.status]}>{d.status}</Badge>
                  {d.lastStatusCode !== null && ` HTTP ${d.lastStatusCode}`}
                </td>
                <td>{d.attempts}</td>
                <td>{d.latencyMs === null ? '—' : `${d.latencyMs} ms`}</td>
                <td>{d.lastError ?? '—'}</td>
                <td>{d.nextAttemptAt ? dateTime(d.nextAttemptAt) : '—'}</td>
              </tr>
            ))
          )}
        </tbody>
      </table>
      <ProblemNote problem={problem} />
    </div>
  );
}
