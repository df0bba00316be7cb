import { createTRPCClient, httpBatchLink } from '@trpc/client';
import { maxBatchCalls } from '../../shared/api/batch-limit.ts';
import type { AppRouter } from '../../server/api/app-router.ts';

export interface TandemClientOptions {
  /**
   * The server's base URL, e.g. `http://localhost:4100`. Left out, requests go to `/trpc` on the
   * current origin: the web app, which the server itself serves.
   */
  url?: string;
  /** An access token, or a function returning the current one (so a refreshed token is picked up). */
  token?: string | (() => string | undefined);
}

/**
 * The one typed client of the API, used by integrations, the CLI, the web app and the tests: every
 * procedure of the server, checked at compile time. Calls made in the same tick go as one batch,
 * cut at the server's cap so a burst is split rather than refused.
 */
export function createTandemClient(options: TandemClientOptions = {}) {
  const base = (options.url ?? '').replace(/\/+$/, '');
  return createTRPCClient<AppRouter>({
    links: [
      httpBatchLink({
        url: `${base}/trpc`,
        maxItems: maxBatchCalls,
        headers() {
          const token = typeof options.token === 'function' ? options.token() : options.token;
          return token ? { authorization: `Bearer ${token}` } : {};
        },
      }),
    ],
  });
}

export type TandemClient = ReturnType<typeof createTandemClient>;
