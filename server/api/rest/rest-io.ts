import type { IncomingMessage, ServerResponse } from 'node:http';
import { TRPCError } from '@trpc/server';
import { DomainError } from '../../core/domain-error.ts';
import { toErrorBody } from '../../core/error-body.ts';
import { errorStatus } from '../../core/error-status.ts';
import type { StoredReply } from './idempotency.ts';
import { etagOf } from './precondition.ts';
import { numberIfNumeric, type RestRoute } from './route-table.ts';

/** Query parameters as an object: repeated keys become arrays, numeric text becomes numbers. */
export function queryInput(search: URLSearchParams, route: RestRoute): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of new Set(search.keys())) {
    const values = search.getAll(key).map((v) => numberIfNumeric(route, key, v));
    out[key] = values.length === 1 ? values[0] : values;
  }
  return out;
}

/** A header as one string (repeated headers joined, as HTTP allows). */
export function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value.join(', ') : value;
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * A failure the client caused keeps its code; anything else (an answer that failed its output
 * schema, a bug) becomes a bare Internal whatever its cause looks like, and is logged upstream.
 */
export function publicError(error: unknown): unknown {
  if (error instanceof TRPCError && error.code === 'INTERNAL_SERVER_ERROR') {
    return error.cause instanceof DomainError
      ? error.cause
      : new Error(error.message, { cause: error });
  }
  return error;
}

/**
 * On a route whose body is one input field (`patch`), bad-field paths are given relative to the
 * body the client sent: `amountMinor`, not `patch.amountMinor`.
 */
export function relativeToBody(error: unknown, field: string | undefined): unknown {
  const body = toErrorBody(error);
  if (!field || body.code !== 'ValidationFailed' || !body.issues) return error;
  const relative = (path: string) =>
    path === field ? '(root)' : path.startsWith(`${field}.`) ? path.slice(field.length + 1) : path;
  if (body.issues.every((i) => relative(i.path) === i.path)) return error;
  const issues = body.issues.map((i) => ({ ...i, path: relative(i.path) }));
  const message = body.message.replace(`invalid input: ${field}.`, 'invalid input: ');
  return new DomainError('ValidationFailed', message, issues, body.details);
}

/**
 * A reply as this face sends it: with the answer's value when it was made in this request, so its
 * headers (ETag, Link) read the value rather than parse the text back; a stored reply has none.
 */
export interface Reply extends StoredReply {
  answer?: unknown;
}

/** The answer of a reply, as its text says. */
function answerOf(reply: Reply): unknown {
  return 'answer' in reply ? reply.answer : JSON.parse(reply.text);
}

/** The REST error answer, exactly as `sendError` writes it, kept as text so it can be stored. */
export function errorReply(error: unknown, requestId: string): StoredReply {
  const body = { ...toErrorBody(error), requestId };
  return { status: errorStatus[body.code].http, text: JSON.stringify({ error: body }) };
}

export function send(
  res: ServerResponse,
  reply: Reply,
  headers: Record<string, string> = {},
): void {
  res.writeHead(reply.status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(reply.text),
    ...headers,
  });
  res.end(reply.text);
}

/** `ETag: "<version>"` for a successful answer of a route that answers with a deal. */
export function etagHeader(route: RestRoute, reply: Reply): Record<string, string> {
  if (!route.options.etag || reply.status >= 300) return {};
  const version = (answerOf(reply) as { version?: unknown } | null)?.version;
  // Finite, as a number read back from JSON always is.
  return typeof version === 'number' && Number.isFinite(version) ? { etag: etagOf(version) } : {};
}

/**
 * `Link: <…>; rel="next"` for a page of a paged route that has a next page: the request's own URL
 * with the page's next cursor in place of the one it was called with.
 */
export function nextLinkHeader(
  route: RestRoute,
  reply: Reply,
  request: URL,
  publicUrl: string,
): Record<string, string> {
  const { page } = route.options;
  if (!page || reply.status >= 300) return {};
  const next = (answerOf(reply) as Record<string, unknown>)[page.next];
  if (typeof next !== 'string' || next === '') return {};
  const url = new URL(`${publicUrl}${request.pathname}`);
  request.searchParams.forEach((value, key) => {
    if (key !== page.cursor) url.searchParams.append(key, value);
  });
  url.searchParams.set(page.cursor, next);
  return { link: `<${url.toString()}>; rel="next"` };
}
