/** A bare REST caller for tests: real HTTP with fetch, the raw text kept for byte comparisons. */

export interface RestAnswer<T = unknown> {
  status: number;
  headers: Headers;
  text: string;
  body: T;
}

export interface RestErrorBody {
  error: {
    code: string;
    message: string;
    issues?: { path: string; message: string }[];
    details?: unknown;
    requestId: string;
  };
}

export type RestCall = <T = unknown>(
  method: string,
  path: string,
  options?: { body?: unknown; rawBody?: string; headers?: Record<string, string> },
) => Promise<RestAnswer<T>>;

/** Calls `<baseUrl>/api/v1<path>` with the token (if any) as bearer. */
export function restApi(baseUrl: string, token?: string): RestCall {
  return async (method, path, options = {}) => {
    const headers: Record<string, string> = { ...options.headers };
    if (token) headers.authorization = `Bearer ${token}`;
    let body: string | undefined = options.rawBody;
    if (options.body !== undefined) {
      body = JSON.stringify(options.body);
      headers['content-type'] = 'application/json';
    }
    const res = await fetch(`${baseUrl}/api/v1${path}`, { method, headers, body });
    const text = await res.text();
    return { status: res.status, headers: res.headers, text, body: JSON.parse(text) as never };
  };
}
