import autocannon from 'autocannon';

export interface LoadResult {
  requestsPerSecond: number;
  p50ms: number;
  p99ms: number;
  non2xx: number;
  errors: number;
}

/**
 * Drives one endpoint on 127.0.0.1 for a fixed time with a fixed number of connections; the body of
 * each request comes from `body(i)`, so every request can be distinct (a new CRM id, say).
 */
export async function load(input: {
  url: string;
  method: 'GET' | 'POST' | 'PUT';
  headers: Record<string, string>;
  body?: (i: number) => string;
  path: (i: number) => string;
  seconds: number;
  connections: number;
}): Promise<LoadResult> {
  let i = 0;
  const result = await autocannon({
    url: input.url,
    connections: input.connections,
    duration: input.seconds,
    requests: [
      {
        method: input.method,
        setupRequest: (req) => {
          const n = i++;
          return {
            ...req,
            path: input.path(n),
            headers: input.body
              ? { ...input.headers, 'content-type': 'application/json' }
              : input.headers,
            ...(input.body ? { body: input.body(n) } : {}),
          };
        },
      },
    ],
  });
  return {
    requestsPerSecond: result.requests.average,
    p50ms: result.latency.p50,
    p99ms: result.latency.p99,
    non2xx: result.non2xx,
    errors: result.errors,
  };
}
