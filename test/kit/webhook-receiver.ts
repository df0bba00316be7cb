import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createLocalJWKSet, flattenedVerify, type JSONWebKeySet } from 'jose';
import type { WebhookDelivery } from '../../shared/webhooks/webhook-delivery.ts';

export interface Received {
  body: WebhookDelivery;
  text: string;
  headers: http.IncomingHttpHeaders;
  /** What the receiver answered. */
  status: number;
  at: number;
}

/**
 * A real webhook receiver on 127.0.0.1: records every request, and answers 200, or 503 while
 * `failing`, after `delayMs`.
 */
export async function startReceiver() {
  const received: Received[] = [];
  const state = { failing: false, delayMs: 0 };
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      const status = state.failing ? 503 : 200;
      const answer = () => {
        received.push({
          body: JSON.parse(text) as WebhookDelivery,
          text,
          headers: req.headers,
          status,
          at: performance.now(),
        });
        res.writeHead(status, { 'content-type': 'text/plain' });
        res.end(status === 200 ? 'ok' : 'down for maintenance');
      };
      if (state.delayMs > 0) setTimeout(answer, state.delayMs);
      else answer();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/hook`,
    received,
    state,
    /** The deliveries answered 200, one per event id, in arrival order. */
    acknowledged: () => received.filter((r) => r.status === 200),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export type Receiver = Awaited<ReturnType<typeof startReceiver>>;

/** Verifies a delivery's detached JWS against the deployment's published JWKS, as a receiver would. */
export async function verifyDelivery(jwks: JSONWebKeySet, delivery: Received): Promise<void> {
  const header = delivery.headers['tandem-signature'];
  if (typeof header !== 'string') throw new Error('no tandem-signature header');
  const [protectedHeader, payload, signature] = header.split('.');
  if (payload !== '') throw new Error('the signature is not detached');
  await flattenedVerify(
    {
      protected: protectedHeader!,
      payload: Buffer.from(delivery.text, 'utf8').toString('base64url'),
      signature: signature!,
    },
    createLocalJWKSet(jwks),
    { algorithms: ['EdDSA'] },
  );
}

/** Polls until `check` passes (returns true) or the time is up. */
export async function eventually(check: () => boolean | Promise<boolean>, ms = 10_000) {
  const until = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > until) throw new Error('timed out waiting for the condition');
    await new Promise((r) => setTimeout(r, 25));
  }
}
