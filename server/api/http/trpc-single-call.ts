import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  getErrorShape,
  getTRPCErrorFromUnknown,
  TRPCError,
  transformTRPCResponse,
} from '@trpc/server';
import { getHTTPStatusCode } from '@trpc/server/http';
import type { AppDeps } from '../../deps.ts';
import { procedureAt, type Procedure } from '../app-procedures.ts';
import { appRouter } from '../app-router.ts';
import {
  logProcedureFailure,
  retryAfterHeaders,
  trpcContext,
  type RequestScope,
} from './trpc-options.ts';

const config = appRouter._def._config;

/**
 * The procedure of a call this path answers: one query over GET (input in `?input=`) or one
 * mutation over POST with a JSON body, nothing else in the query, no streaming asked for, no
 * escapes in the path. Anything else is left to tRPC's adapter, which answers it as it always has.
 */
export function singleCallProcedure(
  req: IncomingMessage,
  path: string,
  search: string,
): Procedure | undefined {
  const type = req.method === 'GET' ? 'query' : req.method === 'POST' ? 'mutation' : undefined;
  if (!type || path.includes('%')) return undefined;
  if (search !== '' && !(type === 'query' && /^\?input=[^&]*$/.test(search))) return undefined;
  const contentType = req.headers['content-type']?.toLowerCase().split(';', 1)[0]?.trim();
  if (contentType !== 'application/json' && !(type === 'query' && contentType === undefined))
    return undefined;
  if (req.headers['trpc-accept'] !== undefined || req.headers.accept?.includes('jsonl'))
    return undefined;
  const procedure = procedureAt(path);
  return procedure?._def.type === type ? procedure : undefined;
}

/** The request body as text, refused past `limit` bytes as the adapter refuses it. */
function bodyText(req: IncomingMessage, limit: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const done = () => {
      req.off('data', onData).off('end', onEnd).off('error', onFail).off('close', onClose);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size <= limit) return void chunks.push(chunk);
      done();
      reject(new TRPCError({ code: 'PAYLOAD_TOO_LARGE' }));
    };
    const onEnd = () => {
      done();
      const text = Buffer.concat(chunks).toString('utf8');
      // As fetch's `text()`, which the adapter reads the body with, a leading BOM is dropped.
      resolve(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
    };
    const onFail = (error: Error) => {
      done();
      reject(error);
    };
    const onClose = () => onFail(new Error('the request was closed before its body ended'));
    req.on('data', onData).on('end', onEnd).on('error', onFail).on('close', onClose);
  });
}

/**
 * The call's input, read when the procedure first asks for it (as the adapter does): JSON that
 * does not parse becomes the adapter's BAD_REQUEST with the parser's message.
 */
function lazyInput(read: () => Promise<string | null>) {
  let parsed: unknown;
  let reading: Promise<unknown> | undefined;
  const parse = async () => {
    try {
      const text = await read();
      if (!text) return undefined;
      parsed = config.transformer.input.deserialize(JSON.parse(text));
      return parsed;
    } catch (cause) {
      if (cause instanceof TRPCError) throw cause;
      const message = cause instanceof Error ? cause.message : 'Invalid input';
      throw new TRPCError({ code: 'BAD_REQUEST', message, cause });
    }
  };
  return { get: () => (reading ??= parse()), parsed: () => parsed };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isStreamLike(value: unknown): boolean {
  if (!isObject(value)) return false;
  if (Symbol.asyncIterator in value) return true;
  return Object.values(value).some(
    (v) => isObject(v) && (typeof v.then === 'function' || Symbol.asyncIterator in v),
  );
}

function reply(res: ServerResponse, status: number, envelope: object, errors: TRPCError[]) {
  const text = JSON.stringify(transformTRPCResponse(config, envelope as never));
  res.writeHead(status, {
    'content-type': 'application/json',
    vary: 'trpc-accept, accept',
    ...retryAfterHeaders(errors),
    'content-length': Buffer.byteLength(text),
  });
  res.end(text);
}

/**
 * Answers one plain tRPC call (see `singleCallProcedure`) with the body, status and headers
 * tRPC's adapter would send, calling the procedure directly: no fetch `Request`, abort signals or
 * response stream per call, which were most of the adapter's cost. The procedure's own chain
 * (token, scope, write budget, validation, error formatter) runs as on every other path. Like
 * REST's and MCP's calls, it gets no abort signal: no procedure here reads one. The body goes out
 * with a Content-Length rather than chunked, its bytes the same.
 */
export async function serveSingleCall(
  deps: AppDeps,
  req: IncomingMessage,
  res: ServerResponse,
  call: { procedure: Procedure; path: string; search: string },
  scope: RequestScope,
  maxBodyBytes: number,
): Promise<void> {
  const { procedure, path, search } = call;
  const type = procedure._def.type;
  const input = lazyInput(() =>
    type === 'query'
      ? Promise.resolve(new URLSearchParams(search).get('input'))
      : bodyText(req, maxBodyBytes),
  );
  const ctx = trpcContext(deps, req, scope);
  try {
    const data = await procedure({
      path,
      type,
      ctx,
      getRawInput: input.get,
      signal: undefined,
      batchIndex: 0,
    });
    if (isStreamLike(data)) {
      throw new TRPCError({
        code: 'UNSUPPORTED_MEDIA_TYPE',
        message:
          'Cannot use stream-like response in non-streaming request - use httpBatchStreamLink',
      });
    }
    reply(res, 200, { result: { data } }, []);
  } catch (cause) {
    const error = getTRPCErrorFromUnknown(cause);
    logProcedureFailure(scope.log, error, path);
    const shape = getErrorShape({ config, ctx, error, input: input.parsed(), path, type });
    const envelope = { error: shape };
    reply(res, getHTTPStatusCode(envelope as never, [error]), envelope, [error]);
  }
}
