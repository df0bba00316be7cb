import { once } from 'node:events';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AppDeps } from '../../deps.ts';
import { streamExport } from '../../attribution/attribution-export.ts';
import { periodInput, periodRange } from '../../attribution/export-period.ts';
import { DomainError } from '../../core/domain-error.ts';
import { parseInput } from '../../core/parse-input.ts';
import { bearerToken, verifyAccessToken } from '../../tenants/tokens/token-verifier.ts';

export const exportPath = /^\/api\/v1\/attribution\/export\.(json|csv)$/;

/**
 * `GET /api/v1/attribution/export.json|csv?period=2026-Q3` (or `from`/`to`): the caller's company's
 * signed finance export, streamed with backpressure so memory stays flat. Needs `export:read`.
 */
export async function exportRoute(
  deps: AppDeps,
  req: IncomingMessage,
  res: ServerResponse,
  kind: 'json' | 'csv',
): Promise<void> {
  const principal = await verifyAccessToken(deps, bearerToken(req.headers.authorization));
  if (!principal.scopes.has('export:read'))
    throw new DomainError(
      'Forbidden',
      'the finance export needs the export:read permission (finance or admin)',
    );
  const query = Object.fromEntries(new URL(req.url ?? '/', 'http://localhost').searchParams);
  const range = periodRange(parseInput(periodInput, query));
  const write = async (chunk: string) => {
    if (!res.write(chunk)) await once(res, 'drain');
  };
  res.writeHead(200, {
    'content-type': kind === 'json' ? 'application/json; charset=utf-8' : 'text/csv; charset=utf-8',
    'content-disposition': `attachment; filename="tandem-attribution-${range.label.replace(/[^\w.-]/g, '_')}.${kind}"`,
    'cache-control': 'no-store',
  });
  const sinks = kind === 'json' ? { json: write } : { json: () => undefined, csv: write };
  await streamExport(deps, principal, { ...range, sinks });
  res.end();
}
