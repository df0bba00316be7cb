import type { IncomingMessage, ServerResponse } from 'node:http';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { DomainError } from '../../core/domain-error.ts';
import { toErrorBody } from '../../core/error-body.ts';
import type { Logger } from '../../core/logger.ts';
import type { AppDeps } from '../../deps.ts';
import type { Principal } from '../../tenants/principal.ts';
import { readBody, sendJson } from '../json-io.ts';
import { createMcpServer } from './mcp-server.ts';
import {
  authorizationServerMetadata,
  authorizationServerPath,
  bearerChallenge,
  protectedResourceMetadata,
  protectedResourcePath,
} from './oauth-metadata.ts';

export const mcpPath = '/mcp';
const version = '1.0.0';

function jsonRpcError(res: ServerResponse, status: number, code: number, message: string): void {
  sendJson(res, status, { jsonrpc: '2.0', id: null, error: { code, message } });
}

/** The principal of the request, or a 401 that tells the client where tokens come from. */
async function authenticate(
  deps: AppDeps,
  req: IncomingMessage,
  res: ServerResponse,
  requestId: string,
): Promise<Principal | undefined> {
  try {
    return await deps.auth.verify(deps, req.headers.authorization);
  } catch (error) {
    const body = toErrorBody(error);
    if (!body.code.startsWith('Token')) throw error;
    const invalid = body.code !== 'TokenMissing';
    sendJson(
      res,
      401,
      { error: { ...body, requestId } },
      {
        'www-authenticate': bearerChallenge(deps.config.publicUrl, invalid),
      },
    );
    return undefined;
  }
}

/**
 * Streamable HTTP at `/mcp`, stateless: every POST carries a bearer token (a member's or an API
 * client's), verified by the same Authenticator as tRPC and REST, and gets a server of its own for
 * that principal. No session, so no GET stream (405). Bodies over the REST limit are refused
 * (413) before the SDK sees them. Answers false for paths that are not this face's.
 */
export async function mcpRoute(
  deps: AppDeps,
  req: IncomingMessage,
  res: ServerResponse,
  ctx: { path: string; requestId: string; log: Logger; maxBodyBytes: number },
): Promise<boolean> {
  const { publicUrl } = deps.config;
  if (
    req.method === 'GET' &&
    (ctx.path === protectedResourcePath || ctx.path === `${protectedResourcePath}${mcpPath}`)
  ) {
    sendJson(res, 200, protectedResourceMetadata(publicUrl), {
      'cache-control': 'public, max-age=300',
    });
    return true;
  }
  if (req.method === 'GET' && ctx.path === authorizationServerPath) {
    sendJson(res, 200, authorizationServerMetadata(publicUrl), {
      'cache-control': 'public, max-age=300',
    });
    return true;
  }
  if (ctx.path !== mcpPath) return false;
  if (req.method !== 'POST') {
    res.setHeader('allow', 'POST');
    jsonRpcError(res, 405, -32000, 'this server is stateless: POST each JSON-RPC message');
    return true;
  }
  const principal = await authenticate(deps, req, res, ctx.requestId);
  if (!principal) return true;
  let body: unknown;
  try {
    body = await readBody(req, ctx.maxBodyBytes);
  } catch (error) {
    if (error instanceof DomainError && error.code === 'ValidationFailed') {
      jsonRpcError(res, 400, -32700, 'the body is not valid JSON');
      return true;
    }
    throw error;
  }
  const context = {
    deps,
    log: ctx.log,
    requestId: ctx.requestId,
    authorization: req.headers.authorization,
    source: req.socket.remoteAddress,
    verified: principal,
  };
  const server = createMcpServer({ deps, context }, version);
  const transport = new StreamableHTTPServerTransport({
    sessionIdGenerator: undefined,
    enableJsonResponse: true,
  });
  res.on('close', () => {
    void transport.close();
    void server.close();
  });
  await server.connect(transport);
  await transport.handleRequest(req, res, body);
  return true;
}
