import type { z } from 'zod';
import {
  createEndpointInput,
  deliveriesInput,
  endpointIdInput,
  replayInput,
  updateEndpointInput,
} from '../../shared/webhooks/webhook-input.ts';
import type { LedgerPositions } from '../ledger/ledger-positions.ts';
import type {
  DeliveryPage,
  DeliveryView,
  EndpointView,
} from '../../shared/webhooks/webhook-view.schema.ts';
import type { Deps } from '../deps.ts';
import { DomainError, notFound } from '../core/domain-error.ts';
import { newId } from '../core/ids.ts';
import { parseInput } from '../core/parse-input.ts';
import { ledgerHead } from './outbox.repository.ts';
import type { CompanyScope } from '../tenants/principal.ts';
import { AddressRefused, checkEndpointHost } from './address-policy.ts';
import {
  deleteEndpoint,
  findEndpoint,
  insertEndpoint,
  listDeliveries,
  listEndpoints,
  pendingCounts,
  requeueFailed,
  updateEndpoint,
  type DeliveryRow,
  type EndpointRow,
} from './webhook.repository.ts';

type ServiceDeps = Deps<'db' | 'writes' | 'clock' | 'config' | 'positions'>;

function toView(positions: LedgerPositions, row: EndpointRow, pending: number): EndpointView {
  return {
    id: row.id,
    url: row.url,
    eventTypes: JSON.parse(row.event_types) as string[],
    status: row.status,
    failureReason: row.failure_reason,
    cursor: positions.cursorOf(row.company_id, row.cursor),
    pending,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

function toDeliveryView(
  positions: LedgerPositions,
  companyId: string,
  row: DeliveryRow,
): DeliveryView {
  return {
    eventId: positions.eventIdOf(companyId, row.seq),
    cursor: positions.cursorOf(companyId, row.seq),
    type: row.type,
    dealId: row.lane || null,
    status: row.status,
    attempts: row.attempts,
    lastStatusCode: row.last_status_code,
    latencyMs: row.last_latency_ms,
    lastError: row.last_error,
    nextAttemptAt: row.status === 'pending' ? row.next_attempt_at : null,
    deliveredAt: row.delivered_at,
    createdAt: row.created_at,
  };
}

/**
 * Refuses a URL whose host resolves to a private address, or that is plain http (deliveries carry
 * deal data), unless the deployment allows development receivers (TANDEM_WEBHOOKS_ALLOW_PRIVATE).
 */
async function checkUrl(deps: Deps<'config'>, url: string): Promise<void> {
  if (deps.config.webhooks.allowPrivate) return;
  const refuse = (message: string) =>
    new DomainError('ValidationFailed', message, [{ path: 'url', message }]);
  try {
    await checkEndpointHost(new URL(url));
  } catch (error) {
    throw refuse(
      error instanceof AddressRefused
        ? `${error.message}: webhooks may only reach public addresses`
        : `the host of ${url} does not resolve`,
    );
  }
  if (new URL(url).protocol !== 'https:')
    throw refuse('use an https:// URL: deliveries carry deal data');
}

async function view(deps: ServiceDeps, scope: CompanyScope, id: string): Promise<EndpointView> {
  const row = await findEndpoint(deps.db, scope, id);
  if (!row) throw notFound('webhook endpoint');
  return toView(deps.positions, row, (await pendingCounts(deps.db, scope)).get(id) ?? 0);
}

/**
 * Registers an endpoint. It receives events from now on (its cursor starts at the ledger head);
 * `replay` sends older ones. Raises ValidationFailed (bad URL, private address, bad pattern).
 */
export async function createEndpoint(
  deps: ServiceDeps,
  scope: CompanyScope,
  input: z.input<typeof createEndpointInput>,
): Promise<EndpointView> {
  const parsed = parseInput(createEndpointInput, input);
  await checkUrl(deps, parsed.url);
  const id = newId('whe');
  const at = deps.clock.now().toISOString();
  await deps.writes.run(async (trx) =>
    insertEndpoint(trx, {
      id,
      company_id: scope.companyId,
      url: parsed.url,
      event_types: JSON.stringify(parsed.eventTypes),
      status: parsed.status,
      failure_reason: null,
      cursor: await ledgerHead(trx),
      created_at: at,
      updated_at: at,
    }),
  );
  return view(deps, scope, id);
}

export async function listCompanyEndpoints(
  deps: ServiceDeps,
  scope: CompanyScope,
): Promise<EndpointView[]> {
  const counts = await pendingCounts(deps.db, scope);
  return (await listEndpoints(deps.db, scope)).map((r) =>
    toView(deps.positions, r, counts.get(r.id) ?? 0),
  );
}

/**
 * Changes the URL, the event types or the status. `active` on a paused endpoint resumes it from
 * its cursor; on a failing one it also retries what was given up on. Raises NotFound.
 */
export async function updateCompanyEndpoint(
  deps: ServiceDeps,
  scope: CompanyScope,
  input: z.input<typeof updateEndpointInput>,
): Promise<EndpointView> {
  const { id, url, eventTypes, status } = parseInput(updateEndpointInput, input);
  const row = await findEndpoint(deps.db, scope, id);
  if (!row) throw notFound('webhook endpoint');
  if (url !== undefined) await checkUrl(deps, url);
  const at = deps.clock.now().toISOString();
  await deps.writes.run(async (trx) => {
    await updateEndpoint(trx, scope, {
      id,
      set: {
        updated_at: at,
        ...(url !== undefined ? { url } : {}),
        ...(eventTypes !== undefined ? { event_types: JSON.stringify(eventTypes) } : {}),
        ...(status !== undefined ? { status, failure_reason: null } : {}),
      },
    });
    if (status === 'active' && row.status === 'failing')
      await requeueFailed(trx, { endpointId: id, at });
  });
  return view(deps, scope, id);
}

export async function removeEndpoint(
  deps: ServiceDeps,
  scope: CompanyScope,
  input: z.input<typeof endpointIdInput>,
): Promise<{ removed: string }> {
  const { id } = parseInput(endpointIdInput, input);
  if (!(await findEndpoint(deps.db, scope, id))) throw notFound('webhook endpoint');
  await deps.writes.run((trx) => deleteEndpoint(trx, scope, id));
  return { removed: id };
}

/**
 * Sends again every event after `after` that the change feed gives the company (and the
 * endpoint's types match), in order, with their original ids. Raises NotFound, InvalidState
 * (a cursor past the ledger head).
 */
export async function replayEndpoint(
  deps: ServiceDeps,
  scope: CompanyScope,
  input: z.input<typeof replayInput>,
): Promise<EndpointView> {
  const parsed = parseInput(replayInput, input);
  const { id } = parsed;
  const after = parsed.after ? deps.positions.seqOf(scope.companyId, parsed.after, 'after') : 0;
  if (!(await findEndpoint(deps.db, scope, id))) throw notFound('webhook endpoint');
  await deps.writes.run(async (trx) => {
    // Only a cursor from a deployment restored from an older backup can be ahead of the log.
    if (after > (await ledgerHead(trx)))
      throw new DomainError('InvalidState', 'that cursor is ahead of the ledger; pass a newer one');
    await updateEndpoint(trx, scope, {
      id,
      set: { cursor: after, updated_at: deps.clock.now().toISOString() },
    });
  });
  return view(deps, scope, id);
}

/** An endpoint's delivery log, newest event first. Raises NotFound. */
export async function endpointDeliveries(
  deps: ServiceDeps,
  scope: CompanyScope,
  input: z.input<typeof deliveriesInput>,
): Promise<DeliveryPage> {
  const parsed = parseInput(deliveriesInput, input);
  const { id, status, limit } = parsed;
  const before = parsed.before
    ? deps.positions.seqOf(scope.companyId, parsed.before, 'before')
    : undefined;
  if (!(await findEndpoint(deps.db, scope, id))) throw notFound('webhook endpoint');
  const rows = await listDeliveries(deps.db, {
    endpointId: id,
    limit,
    ...(status ? { status } : {}),
    ...(before !== undefined ? { before } : {}),
  });
  return {
    deliveries: rows.map((r) => toDeliveryView(deps.positions, scope.companyId, r)),
    nextBefore:
      rows.length === limit ? deps.positions.cursorOf(scope.companyId, rows.at(-1)!.seq) : null,
  };
}
