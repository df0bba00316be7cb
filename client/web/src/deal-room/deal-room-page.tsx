import { useCallback, useEffect, useMemo, useRef } from 'react';
import { notesText, planArray, readFields } from '../../../../shared/sync/deal-doc.ts';
import { toProblem } from '../api/errors.ts';
import type { Attribution, DealDetail, Inputs } from '../api/types.ts';
import { useApp } from '../app-context.tsx';
import { Badge, Busy, ProblemNote } from '../ui/bits.tsx';
import { label } from '../ui/format.ts';
import { Link } from '../ui/router.tsx';
import { useAction, useQuery } from '../ui/use-query.ts';
import { AttributionPanel } from './attribution-panel.tsx';
import { useFieldStatus } from './field-status.ts';
import { useFieldUndo } from './field-undo.ts';
import { DuplicatesPanel } from './duplicates-panel.tsx';
import { FieldsPanel, toSharedFields } from './fields-panel.tsx';
import { HistoryPanel } from './history-panel.tsx';
import {
  useDocVersion,
  useLiveRoom,
  usePresence,
  type LiveRoom,
  type Presence,
} from './live-room.ts';
import { NotesPanel } from './notes-panel.tsx';
import { ParticipantsPanel } from './participants-panel.tsx';
import { PlanPanel, type PlanStep } from './plan-panel.tsx';
import { ReceiptPanel } from './receipt-panel.tsx';

type Patch = Inputs['opportunities']['update']['patch'];

/** One shared deal: fields, plan and notes edited live with the partner, history, attribution. */
export function DealRoomPage({ dealId }: { dealId: string }) {
  const { api } = useApp();
  const detail = useQuery(() => api.opportunities.get.query({ id: dealId }), dealId);
  const full = detail.data?.access === 'full';
  const attribution = useQuery(
    () => (full ? api.attribution.get.query({ dealId }) : Promise.resolve(undefined)),
    `${dealId}:${full}`,
  );
  if (!detail.data)
    return detail.problem ? (
      <section>
        <p>
          <Link to="/pipeline">← Pipeline</Link>
        </p>
        <ProblemNote problem={detail.problem} />
      </section>
    ) : (
      <Busy>Opening the deal room…</Busy>
    );
  if (!full) return <Invitation deal={detail.data} onChanged={detail.reload} />;
  return (
    <Room
      deal={detail.data}
      reload={detail.reload}
      attribution={attribution.data}
      reloadAttribution={attribution.reload}
    />
  );
}

function Invitation({ deal, onChanged }: { deal: DealDetail; onChanged: () => void }) {
  const { api, can } = useApp();
  const action = useAction();
  return (
    <section className="card">
      <h1>{deal.summary.title}</h1>
      <p>
        {deal.summary.customer.name} · {label(deal.summary.stage)} · {label(deal.summary.motion)}
      </p>
      <p>You are invited to this deal. Accept it to see the shared fields and join the room.</p>
      {can('opportunities:write') && (
        <button
          type="button"
          disabled={action.busy}
          onClick={() =>
            void action
              .run(() => api.opportunities.accept.mutate({ id: deal.id }))
              .then((r) => r && onChanged())
          }
        >
          Accept the invitation
        </button>
      )}
      <ProblemNote problem={action.problem} />
    </section>
  );
}

function Room({
  deal,
  reload,
  attribution,
  reloadAttribution,
}: {
  deal: DealDetail;
  reload: () => void;
  attribution: Attribution | undefined;
  reloadAttribution: () => void;
}) {
  const { api, me, token, can, handleProblem } = useApp();
  const meInRoom = useMemo(
    () => ({
      name: me.principal.name ?? me.principal.email ?? 'A member',
      company: me.company.name,
      companyId: me.company.id,
    }),
    [me],
  );
  const room = useLiveRoom(deal.id, token, meInRoom);
  // Once the room has synced, the page edits its document, online or not (offline edits are sent
  // on reconnect); before that, or when the room is closed for good, it writes through the API.
  const live = !!room?.ready && room.status.state !== 'closed';
  const connected = room?.status.state === 'live';
  const version = useDocVersion(room?.doc);
  useFieldStatus(room?.fields);
  useFieldUndo(room?.undo);
  const present = usePresence(room?.awareness);
  const readOnly = !can('opportunities:write');
  const write = useAction();

  // The ledger's history follows the room: reload it shortly after the document settles.
  const reloadTimer = useRef<ReturnType<typeof setTimeout>>(undefined);
  useEffect(() => {
    if (!connected || version === 0) return;
    clearTimeout(reloadTimer.current);
    reloadTimer.current = setTimeout(() => {
      reload();
      reloadAttribution();
    }, 1500);
    return () => clearTimeout(reloadTimer.current);
  }, [version, connected, reload, reloadAttribution]);

  // Signatures are not document state: while a version waits for signatures, look every 5 s.
  const waiting = attribution?.versions.some((v) => v.status === 'proposed') ?? false;
  useEffect(() => {
    if (!waiting) return;
    const timer = setInterval(reloadAttribution, 5000);
    return () => clearInterval(timer);
  }, [waiting, reloadAttribution]);

  const fields = useMemo(
    () => toSharedFields(live && room ? readFields(room.doc) : (deal.fields ?? {})),
    [live, room, deal.fields, version],
  );
  const steps: PlanStep[] = useMemo(
    () =>
      live && room
        ? planArray(room.doc)
            .toArray()
            .map((m) => m.toJSON() as PlanStep)
        : deal.steps,
    [live, room, deal.steps, version],
  );

  const focus = useCallback(
    (field: string | null) => room?.awareness.setLocalStateField('field', field),
    [room],
  );
  const others = present.filter((p) => p.clientId !== room?.doc.clientID);
  const othersIn = (field: string): Presence[] => others.filter((p) => p.field === field);

  const commit = (patch: Record<string, unknown>) => {
    if (live && room) {
      room.undo.edit(patch);
      return;
    }
    // Through the API: each field says it is saving, then saved or why not (once, beside it).
    const done = room?.fields.apiStart(Object.keys(patch));
    api.opportunities.update
      .mutate({ id: deal.id, patch: patch as Patch, expectedVersion: deal.version })
      .then(
        () => {
          done?.();
          reload();
        },
        (error: unknown) => {
          done?.(handleProblem(toProblem(error)));
          reload();
        },
      );
  };

  // Ctrl+Z (⌘Z) outside text inputs undoes this page's own last field change, while it is safe.
  const undo = live ? room?.undo : undefined;
  useEffect(() => {
    if (!undo) return;
    const onKey = (e: KeyboardEvent) => {
      if (!(e.ctrlKey || e.metaKey) || e.shiftKey || e.altKey || e.key.toLowerCase() !== 'z')
        return;
      const t = e.target as HTMLElement | null;
      if (t?.closest('input, textarea, select, [contenteditable=""], [contenteditable="true"]'))
        return;
      if (t?.closest('[role="dialog"]') || !undo.canUndo) return;
      e.preventDefault();
      undo.undo();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [undo]);

  const companies = [
    me.company.name,
    ...deal.participants
      .filter((p) => p.status === 'accepted' && p.company.id !== me.company.id)
      .map((p) => p.company.name),
  ];
  const statusOf = (field: string) => room?.fields.state(field);

  return (
    <article className="room" aria-labelledby="deal-title">
      <p>
        <Link to="/pipeline">← Pipeline</Link>
      </p>
      <header className="room-head">
        <div>
          <h1 id="deal-title">{fields.title || deal.summary.title}</h1>
          <p className="sub">
            {fields.customer.name} · {label(deal.status)}
            {deal.externalRef ? ` · your CRM id ${deal.externalRef}` : ''}
          </p>
          <div className="flags">
            {deal.firstDeal && <Badge tone="gold">First deal of the partnership</Badge>}
            {deal.possibleDuplicates.length > 0 && (
              <Badge tone="warn">Possible duplicate ({deal.possibleDuplicates.length})</Badge>
            )}
          </div>
        </div>
        <PresenceBar room={room} present={present} />
      </header>
      {live && room?.refused && (
        <div className="problem" role="alert">
          <p>The server did not accept that change: {room.refused}.</p>
          <button type="button" onClick={room.resync}>
            Show the deal as saved
          </button>
        </div>
      )}
      <ProblemNote problem={write.problem} />
      <div className="room-grid">
        <div className="col">
          <FieldsPanel
            fields={fields}
            readOnly={readOnly}
            live={live}
            commit={commit}
            focus={focus}
            othersIn={othersIn}
            statusOf={statusOf}
            unsaved={room?.fields.unsaved() ?? { fields: [], offline: false }}
            companies={companies}
            alsoOnClose={
              deal.firstDeal && !steps.some((s) => s.play === 'debrief')
                ? [
                    'As the first deal of the partnership, a debrief step for your company is added to the plan (an undo leaves it there).',
                  ]
                : []
            }
            undo={
              undo && {
                notice: undo.notice,
                canUndo: undo.canUndo,
                undo: () => undo.undo(),
                dismiss: () => undo.dismiss(),
              }
            }
          />
          <NotesPanel
            text={live && room ? notesText(room.doc) : null}
            fallback={deal.fields?.notes ?? ''}
            readOnly={readOnly}
            focus={(on) => focus(on ? 'notes' : null)}
            others={othersIn('notes')}
            status={statusOf('notes')}
            onSave={async (notes) => {
              const r = await write.run(() =>
                api.opportunities.update.mutate({
                  id: deal.id,
                  patch: { notes },
                  expectedVersion: deal.version,
                }),
              );
              if (r) reload();
            }}
          />
          <PlanPanel
            dealId={deal.id}
            steps={steps}
            participants={deal.participants}
            readOnly={readOnly}
            onChanged={() => (live ? undefined : reload())}
          />
        </div>
        <div className="col">
          <DuplicatesPanel deal={deal} onChanged={reload} />
          <ParticipantsPanel deal={deal} present={present} onChanged={reload} />
          <AttributionPanel
            deal={deal}
            attribution={attribution}
            onChanged={() => {
              reloadAttribution();
              reload();
            }}
          />
          <ReceiptPanel dealId={deal.id} />
          <HistoryPanel deal={deal} />
        </div>
      </div>
    </article>
  );
}

function PresenceBar({ room, present }: { room: LiveRoom | null; present: Presence[] }) {
  const state = room?.status.state ?? 'connecting';
  const text =
    state === 'live'
      ? 'Live'
      : state === 'closed'
        ? `Live editing is off: ${room?.status.state === 'closed' ? room.status.reason : ''}`
        : room?.ready
          ? state === 'connecting'
            ? 'Reconnecting… your changes are kept here meanwhile.'
            : 'Offline: your changes are kept here and sent when the connection is back.'
          : state === 'connecting'
            ? 'Connecting to the live room…'
            : 'Live editing is unavailable; changes are saved through the API.';
  return (
    <div className="presence" aria-label="Who is here">
      <span className={`sync sync-${state}`} role="status" data-testid="sync-status">
        {text}
      </span>
      <ul>
        {present.map((p) => (
          <li
            key={p.clientId}
            style={{ borderColor: p.color }}
            title={p.field ? `in ${label(p.field)}` : undefined}
          >
            {p.name} <span className="sub">{p.company}</span>
            {p.field && <span className="sub"> · {label(p.field)}</span>}
          </li>
        ))}
      </ul>
    </div>
  );
}
