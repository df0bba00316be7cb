import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AppDeps } from '../../deps.ts';
import { DomainError } from '../../core/domain-error.ts';
import { assertWellFormedText } from '../../core/parse-input.ts';
import type { Logger } from '../../core/logger.ts';
import { readBody } from '../json-io.ts';
import type { Principal } from '../../tenants/principal.ts';
import { bearerToken, verifyAccessToken } from '../../tenants/tokens/token-verifier.ts';
import { callProcedure } from '../app-procedures.ts';
import { appRouter } from '../app-router.ts';
import type { Context } from '../trpc/context.ts';
import type { Outcome, SameCommit } from '../trpc/same-commit.ts';
import {
  idempotencyKeyOf,
  IdempotencyKeys,
  requestHash,
  type IdempotentRequest,
  type StoredReply,
} from './idempotency.ts';
import { KeptReply } from './kept-reply.ts';
import { openApiDocument } from './openapi-document.ts';
import { requireVersion } from '../../opportunities/deal-version.ts';
import { ifMatchVersion } from './precondition.ts';
import {
  errorReply,
  etagHeader,
  header,
  isPlainObject,
  nextLinkHeader,
  publicError,
  queryInput,
  relativeToBody,
  send,
  type Reply,
} from './rest-io.ts';
import { RouteTable, type ProcedureLike, type RestRoute } from './route-table.ts';

export const restBase = '/api/v1';

/** `url` is the request's, parsed once by the server. */
export type RestHandler = (
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
  ctx: { requestId: string; log: Logger },
) => Promise<boolean>;

/** A matched request. */
interface Incoming {
  route: RestRoute;
  params: Record<string, unknown>;
  context: Context;
  req: IncomingMessage;
  url: URL;
}

/** A write as the handler has understood it, before the procedure runs. */
interface Write {
  route: RestRoute;
  /** With the principal verified for this request, so the procedure does not verify it again. */
  context: Context;
  principal: Principal;
  input: Record<string, unknown>;
  /** Set when If-Match is checked by this face (in the write) rather than by the service. */
  check?: SameCommit['check'];
  idempotency?: IdempotentRequest;
}

/**
 * The REST face of the API under /api/v1, built from the same procedures as tRPC: each request is
 * matched against the routes of the procedures' `meta.openapi`, its path, query or body become
 * the procedure's input, and the procedure is called through a tRPC caller with the context the
 * tRPC handler builds, so authentication, scopes, validation and errors are the same. Writes add
 * a per-principal rate limit, Idempotency-Key and If-Match, which the write path runs in the
 * write's own transaction (see SameCommit): this face never opens one. Answers false for a path
 * it has no route for (the server then answers 404).
 */
export function createRestHandler(deps: AppDeps, options: { maxBodyBytes: number }): RestHandler {
  const procedures = appRouter._def.procedures as unknown as Record<string, ProcedureLike>;
  const routes = new RouteTable(procedures);
  const openApiText = JSON.stringify(
    openApiDocument(appRouter, routes, {
      baseUrl: `${deps.config.publicUrl}${restBase}`,
      version: '1.0.0',
    }),
  );
  const keys = new IdempotencyKeys(() => deps.clock.now());

  function replyTo(route: RestRoute, answer: unknown): Reply {
    return { status: route.options.created ? 201 : 200, text: JSON.stringify(answer), answer };
  }

  async function call(route: RestRoute, ctx: Context, input: unknown): Promise<Reply> {
    try {
      return replyTo(route, await callProcedure(route.procedure, ctx, input));
    } catch (error) {
      throw relativeToBody(publicError(error), route.options.body);
    }
  }

  /** The answer as this face sends it, kept with its key. */
  function outcomeReply(w: Write, outcome: Outcome): Reply {
    if (outcome.ok) return replyTo(w.route, outcome.answer);
    const error = relativeToBody(publicError(outcome.error), w.route.options.body);
    return errorReply(error, w.context.requestId);
  }

  /**
   * A stored answer goes out again only while its principal may still make the write: a scope
   * withdrawn since (a client's grant, a member's role) refuses the replay as it would the write.
   */
  function replayable(w: Write, stored: StoredReply): StoredReply {
    if (w.route.scope && !w.principal.scopes.has(w.route.scope))
      throw new DomainError('Forbidden', `this needs the ${w.route.scope} permission`);
    return stored;
  }

  /** The answer to a write with an Idempotency-Key: stored, or made now and stored with it. */
  async function idempotent(w: Write & { idempotency: IdempotentRequest }): Promise<{
    reply: Reply;
    replayed: boolean;
  }> {
    const stored = await keys.find(deps.db, w.idempotency);
    if (stored) return { reply: replayable(w, stored), replayed: true };
    const kept = new KeptReply(keys, w.idempotency, (outcome) => outcomeReply(w, outcome));
    const sameCommit = { check: w.check, keep: kept.keep };
    try {
      await call(w.route, { ...w.context, sameCommit }, w.input);
    } catch (error) {
      if (kept.taken) {
        const first = await keys.find(deps.db, w.idempotency);
        if (first) return { reply: replayable(w, first), replayed: true };
      }
      if (kept.refused) return { reply: kept.refused, replayed: false };
      throw error;
    }
    // Every REST write is an authed mutation, which keeps its answer; anything else is a bug.
    if (!kept.answered) throw new Error(`${w.route.procedure} answered without keeping its key`);
    return { reply: kept.answered, replayed: false };
  }

  async function write(incoming: Incoming): Promise<{ reply: Reply; replayed: boolean }> {
    const { route, params, req, url } = incoming;
    // Who asks is known before the body is read, to claim the key: verified once, here, and
    // handed to the procedure, whose write re-checks it at commit. (The write budget is spent by
    // the procedure, as on tRPC.)
    const principal = await verifyAccessToken(deps, bearerToken(req.headers.authorization));
    const context: Context = { ...incoming.context, verified: principal };
    const key = idempotencyKeyOf(req.headers['idempotency-key']);
    const version = ifMatchVersion(header(req, 'if-match'));
    const { precondition, body: bodyField } = route.options;
    if (version !== undefined && !precondition) {
      throw new DomainError('ValidationFailed', 'If-Match is not supported on this route', [
        { path: 'If-Match', message: 'not supported here' },
      ]);
    }
    const owner = { companyId: principal.companyId, principalId: principal.id };
    const release = key
      ? await deps.idempotencyClaims.claim({ ...owner, key })
      : () => Promise.resolve();
    try {
      const body =
        req.method === 'DELETE'
          ? queryInput(url.searchParams, route)
          : await readBody(req, options.maxBodyBytes);
      if (!bodyField && !isPlainObject(body)) {
        throw new DomainError('ValidationFailed', 'the body must be a JSON object', [
          { path: '(root)', message: 'expected an object' },
        ]);
      }
      // Before the body is hashed for its key: canonical JSON cannot encode half a pair.
      assertWellFormedText(body);
      const input: Record<string, unknown> = bodyField
        ? { ...params, [bodyField]: body }
        : { ...(body as Record<string, unknown>), ...params };
      const w: Write = { route, context, principal, input };
      if (version !== undefined && precondition?.expectedVersion) input.expectedVersion = version;
      else if (version !== undefined && precondition) {
        const deal =
          precondition.deal === 'externalRef'
            ? { externalRef: String(input.externalRef) }
            : { id: String(input[precondition.deal]) };
        w.check = (trx) => requireVersion(trx, principal, deal, version);
      }
      if (key) {
        const hash = requestHash(req.method ?? '', url.pathname, body);
        return await idempotent({
          ...w,
          idempotency: { ...owner, key, requestHash: hash },
        });
      }
      const sameCommit = w.check ? { check: w.check } : undefined;
      const reply = await call(route, { ...context, sameCommit }, input);
      return { reply, replayed: false };
    } finally {
      // The answer stands whether or not the claim could be ended: an unreleased one lapses.
      await release().catch((error: unknown) =>
        incoming.context.log.warn({ err: error }, 'an Idempotency-Key claim was not released'),
      );
    }
  }

  return async (req, res, url, { requestId, log }) => {
    const path = url.pathname.slice(restBase.length);
    const method = req.method ?? 'GET';
    if (path === '/openapi.json' && method === 'GET') {
      send(res, { status: 200, text: openApiText }, { 'cache-control': 'public, max-age=300' });
      return true;
    }
    let match;
    try {
      match = routes.match(method, path);
    } catch {
      throw new DomainError('ValidationFailed', 'the path has a malformed %-escape');
    }
    if (!match) return false;
    const { route, params } = match;
    const context: Context = {
      deps,
      log,
      requestId,
      authorization: req.headers.authorization,
      source: req.socket.remoteAddress,
    };
    if (method === 'GET') {
      const input = { ...queryInput(url.searchParams, route), ...params };
      const reply = await call(route, context, input);
      send(res, reply, {
        ...etagHeader(route, reply),
        ...nextLinkHeader(route, reply, url, deps.config.publicUrl),
      });
      return true;
    }
    const { reply, replayed } = await write({ route, params, context, req, url });
    send(res, reply, {
      ...etagHeader(route, reply),
      ...(replayed ? { 'idempotent-replayed': 'true' } : {}),
    });
    return true;
  };
}
