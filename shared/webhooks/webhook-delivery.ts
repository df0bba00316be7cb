import type { FeedEvent } from '../opportunities/deal-view.schema.ts';

/**
 * The wire contract of a webhook delivery.
 *
 * Tandem POSTs one event per request, `content-type: application/json`, with the body below. The
 * `event` is exactly what the change feed (`ledger.feed`, `GET /api/v1/changes`) returns for it,
 * so a receiver can switch between pushing and pulling, or fill a gap by pulling from `cursor`.
 *
 * - At least once: a 2xx answer acknowledges the delivery; anything else, a timeout or a refused
 *   connection is retried with exponential backoff and jitter. Dedupe on `id`, which is stable
 *   across retries and replays of the same event.
 * - Order: the events of one deal arrive one at a time, in ledger order; events of different
 *   deals may interleave.
 * - Signature: the `Tandem-Signature` header holds a detached compact JWS (RFC 7515 appendix F,
 *   `<protected>..<signature>`, alg EdDSA) over the exact body bytes, signed with the
 *   deployment's key published at `<public URL>/.well-known/jwks.json` (the `kid` in the header
 *   names the key). Put the base64url of the body between the dots and verify it with any JOSE
 *   library; the signed body names the endpoint and the time it was sent.
 */
export interface WebhookDelivery {
  /** Stable event id, for dedupe. */
  id: string;
  /** The ledger cursor of the event: pass it as `after` to the feed or to replay. */
  cursor: string;
  type: string;
  endpointId: string;
  /** The receiving company. */
  companyId: string;
  /** 1 for the first try; retries and replays count on. */
  attempt: number;
  sentAt: string;
  event: FeedEvent;
}

export const webhookHeaders = {
  signature: 'tandem-signature',
  eventId: 'tandem-event-id',
  eventType: 'tandem-event-type',
  cursor: 'tandem-cursor',
} as const;

/** The `typ` of a delivery's JWS header. */
export const webhookJwsType = 'tandem-webhook+jws';
