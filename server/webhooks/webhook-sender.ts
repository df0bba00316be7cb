import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import { isPublicAddress, publicOnlyLookup } from './address-policy.ts';

/** Of a receiver's answer only this much is read (for the error text); the rest is cut off. */
export const maxResponseBytes = 64 * 1024;
const errorTextChars = 500;

export interface SendResult {
  /** A 2xx answer: the delivery is acknowledged. */
  ok: boolean;
  statusCode: number | null;
  latencyMs: number;
  error: string | null;
}

const agents = {
  http: new http.Agent({ keepAlive: true, maxSockets: 64 }),
  https: new https.Agent({ keepAlive: true, maxSockets: 64 }),
};

/**
 * POSTs one delivery and never throws: every failure (refused address, connection error, timeout,
 * non-2xx answer) comes back as a result with its reason. Redirects are not followed. The whole
 * attempt is bounded by `timeoutMs`, and at most `maxResponseBytes` of the answer are read.
 */
export function postDelivery(input: {
  url: string;
  body: string;
  headers: Record<string, string>;
  timeoutMs: number;
  allowPrivate: boolean;
  signal: AbortSignal;
}): Promise<SendResult> {
  const started = performance.now();
  const done = (statusCode: number | null, error: string | null): SendResult => ({
    ok: error === null && statusCode !== null && statusCode >= 200 && statusCode < 300,
    statusCode,
    latencyMs: Math.round(performance.now() - started),
    error: error?.slice(0, errorTextChars) ?? null,
  });
  const url = new URL(input.url);
  const host = url.hostname.replace(/^\[|\]$/g, '');
  if (!input.allowPrivate && net.isIP(host) && !isPublicAddress(host))
    return Promise.resolve(done(null, `${host} is a private or local address`));
  // An endpoint registered while the deployment allowed development receivers.
  if (!input.allowPrivate && url.protocol !== 'https:')
    return Promise.resolve(done(null, 'plain http is refused: use an https:// URL'));
  const transport = url.protocol === 'https:' ? https : http;
  return new Promise((resolve) => {
    let settled = false;
    const finish = (result: SendResult) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      input.signal.removeEventListener('abort', onAbort);
      resolve(result);
    };
    const req = transport.request(url, {
      method: 'POST',
      agent: url.protocol === 'https:' ? agents.https : agents.http,
      headers: {
        'content-type': 'application/json',
        'content-length': String(Buffer.byteLength(input.body)),
        'user-agent': 'Tandem-Webhooks/1',
        ...input.headers,
      },
      ...(input.allowPrivate ? {} : { lookup: publicOnlyLookup }),
    });
    const timer = setTimeout(() => {
      req.destroy();
      finish(done(null, `timed out after ${input.timeoutMs} ms`));
    }, input.timeoutMs);
    const onAbort = () => {
      req.destroy();
      finish(done(null, 'cancelled: the server is stopping'));
    };
    input.signal.addEventListener('abort', onAbort);
    req.on('error', (error) => finish(done(null, error.message || String(error))));
    req.on('response', (res) => {
      const status = res.statusCode ?? 0;
      let text = '';
      let bytes = 0;
      res.on('data', (chunk: Buffer) => {
        bytes += chunk.length;
        if (text.length < errorTextChars) text += chunk.toString('utf8');
        if (bytes > maxResponseBytes) {
          res.destroy();
          finish(done(status, status >= 200 && status < 300 ? null : answerError(status, text)));
        }
      });
      res.on('end', () =>
        finish(done(status, status >= 200 && status < 300 ? null : answerError(status, text))),
      );
      res.on('error', (error) => finish(done(status, error.message)));
    });
    req.end(input.body);
  });
}

function answerError(status: number, text: string): string {
  const body = text.replace(/\s+/g, ' ').trim();
  return `HTTP ${status}${body ? `: ${body}` : ''}`;
}
