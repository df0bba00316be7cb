import { createTandemClient, type TandemClient } from '../../../sdk/tandem-client.ts';
import { ApiError } from './errors.ts';

/** The typed tRPC client of the app (the SDK's), on the same origin, with the session's token. */
export function createApi(token: () => string | undefined): Api {
  return createTandemClient({ token });
}

export type Api = TandemClient;

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
