import http, { type IncomingHttpHeaders, type IncomingMessage } from 'node:http';
import net, { type AddressInfo } from 'node:net';

/**
 * A small round-robin balancer for running several Tandem instances on one machine (`npm run
 * cluster`, the cluster chaos run), written on node:http and node:net so a dev script adds no
 * dependency. It sends each HTTP request and each WebSocket upgrade to the next instance whose
 * `/readyz` answered 200 at the last probe. Not for production: put a real balancer there, probing
 * `/readyz` the same way.
 */
export interface Proxy {
  port: number;
  /** The instances' ports that passed the last probe. */
  ready(): number[];
  close(): Promise<void>;
}

const probeEveryMs = 250;
// Bodies are read whole before forwarding (below); the server refuses over 1 MiB anyway.
const maxBodyBytes = 2 * 1024 * 1024;
// Per connection, not end to end: a proxy must not forward them (RFC 9110 §7.6.1).
const hopByHop = new Set([
  'connection',
  'keep-alive',
  'proxy-connection',
  'transfer-encoding',
  'te',
  'trailer',
  'upgrade',
]);

function endToEnd(headers: IncomingHttpHeaders): IncomingHttpHeaders {
  return Object.fromEntries(Object.entries(headers).filter(([k]) => !hopByHop.has(k)));
}

export async function startProxy(options: {
  port: number;
  host: string;
  /** The instances' ports on 127.0.0.1, in a fixed order (a restarted instance keeps its port). */
  targets: number[];
}): Promise<Proxy> {
  const ready = new Set<number>();
  let turn = 0;
  /** The ready instances, starting with the next one's turn. */
  const order = () => {
    const up = options.targets.filter((p) => ready.has(p));
    const start = up.length === 0 ? 0 : turn++ % up.length;
    return [...up.slice(start), ...up.slice(0, start)];
  };

  const probe = () =>
    Promise.all(
      options.targets.map(async (port) => {
        try {
          const res = await fetch(`http://127.0.0.1:${port}/readyz`, {
            signal: AbortSignal.timeout(1000),
          });
          await res.arrayBuffer();
          if (res.status === 200) ready.add(port);
          else ready.delete(port);
        } catch {
          ready.delete(port);
        }
      }),
    );
  await probe();
  let probing = false;
  const prober = setInterval(() => {
    if (probing) return;
    probing = true;
    void probe().finally(() => (probing = false));
  }, probeEveryMs);

  /**
   * Tries the instances in turn. The body is held whole so that a request whose connection was
   * refused (an instance killed since the last probe) can go to the next one: nothing reached the
   * refused one. A failure after the connection opened is answered 502 and not retried, since the
   * instance may have acted on it; the client's retry with its Idempotency-Key decides.
   */
  const forward = (req: IncomingMessage, body: Buffer, res: http.ServerResponse) => {
    const attempt = (candidates: number[]) => {
      const port = candidates[0];
      if (port === undefined) {
        res.writeHead(503, { 'content-type': 'application/json', 'retry-after': '1' });
        return res.end(
          JSON.stringify({ error: { code: 'Unavailable', message: 'no instance ready' } }),
        );
      }
      let connected = false;
      const upstream = http.request({
        host: '127.0.0.1',
        port,
        method: req.method,
        path: req.url,
        // A fresh connection per request: a pooled one to a killed instance fails only after the
        // request was written, which would make a refused request look like one that was sent.
        agent: false,
        headers: {
          ...endToEnd(req.headers),
          'content-length': String(body.length),
          'x-forwarded-for': req.socket.remoteAddress ?? '',
        },
      });
      upstream.on('socket', (s) => s.once('connect', () => (connected = true)));
      upstream.on('response', (answer) => {
        res.writeHead(answer.statusCode ?? 502, endToEnd(answer.headers));
        answer.pipe(res);
        answer.on('error', () => res.destroy());
      });
      upstream.on('error', () => {
        if (!connected) {
          ready.delete(port);
          return attempt(candidates.slice(1));
        }
        if (res.headersSent) return res.destroy();
        res.writeHead(502, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ error: { code: 'BadGateway', message: 'instance failed' } }));
      });
      upstream.end(body);
    };
    attempt(order());
  };

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBodyBytes) {
        res.writeHead(413).end();
        req.destroy();
      } else chunks.push(chunk);
    });
    req.on('end', () => forward(req, Buffer.concat(chunks), res));
  });

  // WebSocket upgrades: the request head is written to the instance as it came, then bytes flow
  // both ways untouched. A refused connection moves on to the next instance, as for HTTP.
  const tunnels = new Set<net.Socket>();
  server.on('upgrade', (req: IncomingMessage, client: net.Socket, head: Buffer) => {
    // Upgraded sockets leave the HTTP server's books: closing the proxy ends them by hand.
    tunnels.add(client);
    let upstream: net.Socket | undefined;
    client.on('error', () => client.destroy());
    client.on('close', () => {
      tunnels.delete(client);
      upstream?.destroy();
    });
    const attempt = (candidates: number[]) => {
      const port = candidates[0];
      if (port === undefined) {
        client.end('HTTP/1.1 503 Service Unavailable\r\nconnection: close\r\n\r\n');
        return;
      }
      const socket = net.connect(port, '127.0.0.1');
      upstream = socket;
      let connected = false;
      socket.once('connect', () => {
        connected = true;
        const lines = [`${req.method} ${req.url} HTTP/1.1`];
        for (let i = 0; i < req.rawHeaders.length; i += 2)
          lines.push(`${req.rawHeaders[i]}: ${req.rawHeaders[i + 1]}`);
        socket.write(`${lines.join('\r\n')}\r\n\r\n`);
        if (head.length > 0) socket.write(head);
        socket.pipe(client);
        client.pipe(socket);
      });
      socket.on('error', () => {
        if (!connected) {
          ready.delete(port);
          return attempt(candidates.slice(1));
        }
        client.destroy();
      });
      // Either side going away ends the other: a killed instance closes the client's socket, and
      // the stock client reconnects through the proxy to another instance.
      socket.on('close', () => connected && client.destroy());
    };
    attempt(order());
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => resolve());
  });
  return {
    port: (server.address() as AddressInfo).port,
    ready: () => options.targets.filter((p) => ready.has(p)),
    close: () =>
      new Promise<void>((resolve) => {
        clearInterval(prober);
        server.close(() => resolve());
        server.closeAllConnections();
        for (const socket of tunnels) socket.destroy();
      }),
  };
}
