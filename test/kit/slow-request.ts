import http from 'node:http';

/**
 * A POST that sends its headers and the first `sentBytes` of its body, then waits for `finish()`:
 * for what the server does while a body is still uploading (a key in flight, a token revoked).
 */
export function slowPost(
  url: string,
  headers: Record<string, string>,
  body: string,
  sentBytes: number,
): { finish(): void; answered: Promise<{ status: number; text: string }> } {
  const request = http.request(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...headers,
      'content-length': Buffer.byteLength(body),
    },
  });
  const answered = new Promise<{ status: number; text: string }>((resolve, reject) => {
    request.on('response', (res) => {
      let text = '';
      res.on('data', (chunk: Buffer) => (text += chunk.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
    });
    request.on('error', reject);
  });
  request.write(body.slice(0, sentBytes));
  return { finish: () => request.end(body.slice(sentBytes)), answered };
}
