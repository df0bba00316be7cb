import { createTRPCClient, httpBatchLink } from '@trpc/client';
import { maxBatchCalls } from '../../../../shared/api/batch-limit.ts';
import type { AppRouter } from '../../../../server/api/trpc/app-router.ts';
import { ApiError } from './errors.ts';

/** The typed tRPC client of the app, on the same origin, with the session's token. */
export function createApi(token: () => string | undefined) {
  return createTRPCClient<AppRouter>({
    links: [
      httpBatchLink({
        url: '/trpc',
        maxItems: maxBatchCalls,
        headers() {
          const t = token();
          return t ? { authorization: `Bearer ${t}` } : {};
        },
      }),
    ],
  });
}

export type Api = ReturnType<typeof createApi>;

/** A plain JSON call (the demo endpoints, REST); throws ApiError with the server's words. */
export async function fetchJson<T>(url: string, init: RequestInit = {}): Promise<T> {
  const res = await fetch(url, {
    ...init,
    headers: { 'content-type': 'application/json', ...(init.headers ?? {}) },
  });
  const body = (await res.json().catch(() => undefined)) as
    { error?: ConstructorParameters<typeof ApiError>[0] } | undefined;
  if (!res.ok) throw new ApiError(body?.error);
  return body as T;
}
