import { webhookHeaders, type WebhookDelivery } from '../../shared/webhooks/webhook-delivery.ts';
import type { Deps } from '../deps.ts';
import { toFeedEvent } from '../ledger/change-feed.ts';
import type { LedgerEventRow } from '../ledger/ledger.repository.ts';
import { retryDelayMs } from './backoff.ts';
import type { AttemptRecord } from './outbox.repository.ts';
import type { DeliveryRow, EndpointRow } from './webhook.repository.ts';
import { postDelivery } from './webhook-sender.ts';
import { signDelivery } from './webhook-signature.ts';

export type AttemptDeps = Deps<'db' | 'clock' | 'config' | 'deploymentKey' | 'positions'>;

/** What one attempt came to, ready to record; `giveUp` names why the endpoint is now failing. */
export interface AttemptOutcome {
  record: AttemptRecord;
  giveUp: string | undefined;
}

/**
 * Sends one delivery of `event` (its ledger row) to `endpoint`, signed, and says what to record:
 * delivered, pending again after a backoff, or failed once the retry window is spent. Undefined
 * when the attempt was cut short by shutdown: it is not recorded, so it goes out again.
 */
export async function attemptDelivery(
  deps: AttemptDeps,
  endpoint: EndpointRow,
  delivery: DeliveryRow,
  event: LedgerEventRow,
  signal: AbortSignal,
): Promise<AttemptOutcome | undefined> {
  const attempt = delivery.attempts + 1;
  const sentAt = deps.clock.now();
  const feedEvent = toFeedEvent(deps.positions, endpoint.company_id, event);
  const body: WebhookDelivery = {
    id: feedEvent.id,
    cursor: feedEvent.cursor,
    type: event.type,
    endpointId: endpoint.id,
    companyId: endpoint.company_id,
    attempt,
    sentAt: sentAt.toISOString(),
    event: feedEvent,
  };
  const text = JSON.stringify(body);
  const result = await postDelivery({
    url: endpoint.url,
    body: text,
    headers: {
      [webhookHeaders.signature]: await signDelivery(deps, text),
      [webhookHeaders.eventId]: body.id,
      [webhookHeaders.eventType]: body.type,
      [webhookHeaders.cursor]: body.cursor,
    },
    timeoutMs: deps.config.webhooks.timeoutMs,
    allowPrivate: deps.config.webhooks.allowPrivate,
    signal,
  });
  if (signal.aborted && !result.ok) return undefined;
  const at = deps.clock.now();
  const firstAttemptAt = delivery.first_attempt_at ?? sentAt.toISOString();
  const next = new Date(at.getTime() + retryDelayMs(attempt, deps.config.webhooks));
  const giveUp =
    !result.ok && next.getTime() - Date.parse(firstAttemptAt) > deps.config.webhooks.retryWindowMs;
  return {
    record: {
      endpointId: endpoint.id,
      seq: delivery.seq,
      status: result.ok ? 'delivered' : giveUp ? 'failed' : 'pending',
      attempts: attempt,
      at: at.toISOString(),
      firstAttemptAt,
      nextAttemptAt: result.ok || giveUp ? at.toISOString() : next.toISOString(),
      statusCode: result.statusCode,
      latencyMs: result.latencyMs,
      error: result.error,
    },
    giveUp: giveUp
      ? `gave up on event ${body.id} (${body.type}) after ${attempt} attempts since ${firstAttemptAt}: ${result.error ?? 'no answer'}`
      : undefined,
  };
}
