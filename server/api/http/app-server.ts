import { randomUUID } from 'node:crypto';
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import { sql } from 'kysely';
import type { AppDeps } from '../../deps.ts';
import type { Logger } from '../../core/logger.ts';
import { notFound } from '../../core/domain-error.ts';
import { exportPath, exportRoute } from '../rest/export.route.ts';
import { jwksRoute } from '../rest/jwks.route.ts';
import { logKey } from '../../transparency/log.service.ts';
import { createRestHandler, restBase, type RestHandler } from '../rest/rest-handler.ts';
import { mcpRoute } from '../mcp/mcp-route.ts';
import { tokenRoute } from '../rest/token.route.ts';
import { demoBase, demoRoute } from '../../demo/demo-sign-in.ts';
import { serveWebApp } from './static-files.ts';
import { Readiness } from './readiness.ts';
import { sendError, sendJson } from '../json-io.ts';
import { lazyChild } from '../trpc/lazy-log.ts';
import { serveTrpcAdapter } from './trpc-adapter.ts';
import { serveSingleCall, singleCallProcedure } from './trpc-single-call.ts';

/** Bodies over 1 MiB are refused with 413 before they are read in full. */
export const maxBodyBytes = 1024 * 1024;

const jwksPath = /^\/companies\/([A-Za-z0-9_-]+)\/\.well-known\/jwks\.json$/;

function requestIdOf(req: IncomingMessage): string {
  const given = req.headers['x-request-id'];
  return typeof given === 'string' && /^[A-Za-z0-9._-]{1,100}$/.test(given) ? given : randomUUID();
}

async function health(deps: AppDeps, res: ServerResponse): Promise<void> {
  try {
    await sql`select 1`.execute(deps.db);
    sendJson(res, 200, { status: 'ok' });
  } catch {
    sendJson(res, 503, { status: 'unavailable' });
  }
}

async function ready(deps: AppDeps, readiness: Readiness, res: ServerResponse): Promise<void> {
  const answer = await readiness.check(deps);
  // A probe must see the answer of the moment, never a cached one.
  sendJson(res, answer.ready ? 200 : 503, answer, { 'cache-control': 'no-store' });
}

async function route(
  deps: AppDeps,
  rest: RestHandler,
  readiness: Readiness,
  req: IncomingMessage,
  res: ServerResponse,
  ctx: { requestId: string; log: Logger },
): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://localhost');
  const path = url.pathname;
  if (path === '/healthz' && req.method === 'GET') return health(deps, res);
  if (path === '/readyz' && req.method === 'GET') return ready(deps, readiness, res);
  if (path.startsWith('/trpc/')) {
    const procedurePath = path.slice('/trpc/'.length);
    const procedure = singleCallProcedure(req, procedurePath, url.search);
    if (procedure) {
      const call = { procedure, path: procedurePath, search: url.search };
      return serveSingleCall(deps, req, res, call, ctx, maxBodyBytes);
    }
    return serveTrpcAdapter(deps, req, res, procedurePath, ctx, maxBodyBytes);
  }
  if (path === '/api/v1/token' && req.method === 'POST') return tokenRoute(deps, req, res);
  if (
    (path === '/mcp' || path.startsWith('/.well-known/oauth-')) &&
    (await mcpRoute(deps, req, res, { ...ctx, path, maxBodyBytes }))
  )
    return;
  // Demo sign-in exists only while the demo is on; otherwise these paths are plain 404s.
  if (
    deps.config.demo &&
    path.startsWith(`${demoBase}/`) &&
    (await demoRoute(deps, req, res, path))
  )
    return;
  const exported = exportPath.exec(path);
  if (exported?.[1] && req.method === 'GET')
    return exportRoute(deps, req, res, exported[1] as 'json' | 'csv');
  if (path.startsWith(`${restBase}/`) && (await rest(req, res, url, ctx))) return;
  if (path === '/.well-known/tandem-log.vkey' && req.method === 'GET') {
    // The transparency log's note key, for witnesses and offline verifiers to pin.
    const { vkey } = await logKey(deps);
    res.writeHead(200, {
      'content-type': 'text/plain; charset=utf-8',
      'cache-control': 'public, max-age=60',
    });
    res.end(`${vkey}\n`);
    return;
  }
  if (path === '/.well-known/jwks.json' && req.method === 'GET') {
    return sendJson(res, 200, await deps.deploymentKey.jwks(deps.db), {
      'cache-control': 'public, max-age=60',
    });
  }
  const jwks = jwksPath.exec(path);
  if (jwks?.[1] && req.method === 'GET') return jwksRoute(deps, jwks[1], res);
  if (serveWebApp(req, res, path)) return;
  throw notFound(`${req.method} ${path}`);
}

/**
 * One line per request once answered: the path only, as query strings may carry tokens. The
 * request id is a field of the line rather than a child's binding (the line reads the same), so
 * a request that logs nothing else makes no child logger.
 */
function logWhenFinished(
  req: IncomingMessage,
  res: ServerResponse,
  logger: Logger,
  requestId: string,
): void {
  const started = process.hrtime.bigint();
  res.on('finish', () => {
    const ms = Number(process.hrtime.bigint() - started) / 1e6;
    logger.info(
      {
        reqId: requestId,
        method: req.method,
        path: (req.url ?? '').split('?')[0],
        status: res.statusCode,
        ms: Math.round(ms * 10) / 10,
      },
      'request',
    );
  });
}

/**
 * The one HTTP server: tRPC at /trpc, REST at /api/v1, MCP at /mcp, JWKS per company, /healthz
 * (alive) and /readyz (should get traffic; `readiness.drain()` turns it off at shutdown). Each
 * request gets a request id (echoed as `x-request-id`) on every log line it writes.
 */
export function createAppServer(
  deps: AppDeps,
  readiness: Readiness = new Readiness(),
): http.Server {
  const rest = createRestHandler(deps, { maxBodyBytes });
  return http.createServer((req, res) => {
    const requestId = requestIdOf(req);
    const log = lazyChild(deps.logger, { reqId: requestId });
    res.setHeader('x-request-id', requestId);
    res.setHeader('x-content-type-options', 'nosniff');
    if (deps.logger.isLevelEnabled('info')) logWhenFinished(req, res, deps.logger, requestId);
    route(deps, rest, readiness, req, res, { requestId, log }).catch((error: unknown) => {
      const body = res.headersSent ? undefined : sendError(res, error, requestId);
      if (!body || body.code === 'Internal') log.error({ err: error }, 'request failed');
      if (res.headersSent && !res.writableEnded) res.end();
    });
  });
}
