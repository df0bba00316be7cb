import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ErrorBody } from '../../shared/errors/error-codes.ts';
import { DomainError, retryAfterOf } from '../core/domain-error.ts';
import { toErrorBody } from '../core/error-body.ts';
import { errorStatus } from '../core/error-status.ts';

export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
    ...headers,
  });
  res.end(text);
}

/** The REST error shape: `{ error: { code, message, issues?, requestId } }`, status from the code. */
export function sendError(res: ServerResponse, error: unknown, requestId: string): ErrorBody {
  const body = { ...toErrorBody(error), requestId };
  const headers: Record<string, string> = {};
  if (body.code.startsWith('Token') || body.code === 'CredentialsInvalid')
    headers['www-authenticate'] = 'Bearer';
  const wait = retryAfterOf(error);
  if (wait !== undefined) headers['retry-after'] = String(wait);
  sendJson(res, errorStatus[body.code].http, { error: body }, headers);
  return body;
}

/**
 * Reads a JSON or form-encoded body of at most `limit` bytes. Raises PayloadTooLarge, or
 * ValidationFailed for a body that does not parse.
 */
export async function readBody(req: IncomingMessage, limit: number): Promise<unknown> {
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > limit) throw new DomainError('PayloadTooLarge', `the body is over ${limit} bytes`);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) throw new DomainError('PayloadTooLarge', `the body is over ${limit} bytes`);
    chunks.push(chunk);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  const type = (req.headers['content-type'] ?? '').split(';')[0]?.trim();
  if (type === 'application/x-www-form-urlencoded')
    return Object.fromEntries(new URLSearchParams(text));
  if (text.trim() === '') return {};
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new DomainError('ValidationFailed', 'the body is not valid JSON', [
      { path: '(root)', message: 'not valid JSON' },
    ]);
  }
}
