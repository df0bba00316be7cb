import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import type { Problem } from '../api/errors.ts';
import type { Outputs } from '../api/types.ts';
import { useApp } from '../app-context.tsx';
import { Badge, Busy, ProblemNote } from '../ui/bits.tsx';
import { dateTime } from '../ui/format.ts';
import { useAction, useQuery } from '../ui/use-query.ts';
import { AddEndpoint } from './add-endpoint.tsx';

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
  const urlRef = useRef<HTMLInputElement>(null);
  return (
    <>
      <AddEndpoint onAdded={list.reload} urlRef={urlRef} />
      <h2>Endpoints</h2>
      {list.data ? (
        list.data.length === 0 ? (
          <div className="empty-state" data-testid="no-endpoints">
            <p>
              No endpoints yet: nothing receives your company’s deal events. Add the address your
              system listens on, and every change to a deal you share is posted to it.
            </p>
            <button
              type="button"
              onClick={() => {
                urlRef.current?.scrollIntoView({ block: 'center' });
                urlRef.current?.focus();
              }}
            >
              Add your first endpoint
            </button>
          </div>
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
  // A cursor Tandem did not give out: said beside the cursor field, once, until it is edited.
  const afterIssue = action.problem?.issues.some((i) => i.path === 'after')
    ? 'That is not a cursor Tandem gave you. Copy one from the delivery log below or from the change feed, or leave it empty to replay from the start.'
    : undefined;
  const replay = async (ev?: FormEvent) => {
    ev?.preventDefault();
    setReplayed(undefined);
    const cursor = ev ? after.trim() : '';
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
        <Badge tone={statusTone[e.status]}>{e.status}</Badge> Events: {e.eventTypes.join(', ')} ·{' '}
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
        <input
          id={`${id}-after`}
          value={after}
          onChange={(ev) => {
            setAfter(ev.target.value);
            if (afterIssue) action.clear();
          }}
          aria-invalid={afterIssue ? true : undefined}
          aria-describedby={afterIssue ? `${id}-after-issue` : undefined}
        />
        {afterIssue && (
          <p id={`${id}-after-issue`} className="field-problem" data-testid="field-problem">
            {afterIssue}
          </p>
        )}
        <button type="submit" disabled={action.busy}>
          Replay
        </button>
      </form>
      {replayed && <p role="status">{replayed}</p>}
      {!afterIssue && <ProblemNote problem={action.problem} />}
      <DeliveryLog
        url={e.url}
        deliveries={log.data?.deliveries}
        problem={log.problem}
        replayed={replayed !== undefined}
        onReplay={action.busy ? undefined : () => void replay()}
      />
    </article>
  );
}

function DeliveryLog({
  url,
  deliveries,
  problem,
  replayed,
  onReplay,
}: {
  url: string;
  deliveries: Delivery[] | undefined;
  problem: Problem | undefined;
  /** A replay was asked for: an empty log then means there was nothing to send. */
  replayed: boolean;
  /** Sends the company's past events again; undefined while another action runs. */
  onReplay: (() => void) | undefined;
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
              <td colSpan={7} data-testid="no-deliveries">
                {replayed ? (
                  'Nothing to send yet: deliveries appear here as soon as a deal your company shares changes.'
                ) : (
                  <>
                    No deliveries yet: this endpoint gets the events from when it was added.{' '}
                    <button type="button" className="small" onClick={onReplay} disabled={!onReplay}>
                      Send it the past events
                    </button>
                  </>
                )}
              </td>
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
