import { createTRPCClient, httpBatchLink } from '@trpc/client';
import { maxBatchCalls } from '../../shared/api/batch-limit.ts';
import type { AppRouter } from '../../server/api/trpc/app-router.ts';

export interface TandemClientOptions {
  /** The server's base URL, e.g. `http://localhost:4100`. */
  url: string;
  /** An access token, or a function returning the current one (so a refreshed token is picked up). */
  token?: string | (() => string | undefined);
}

/** The typed client integrations use: every procedure of the server, checked at compile time. */
export function createTandemClient(options: TandemClientOptions) {
  const base = options.url.replace(/\/+$/, '');
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
