// The reference for API throughput: a bare node:http JSON handler (read the body, parse it,
// answer JSON) — what a request costs before any auth, validation or storage.
import http from 'node:http';

let n = 0;
http
  .createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = chunks.length
        ? (JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown)
        : null;
      const text = JSON.stringify({ ok: true, id: ++n, echo: typeof body });
      res.writeHead(200, {
        'content-type': 'application/json',
        'content-length': Buffer.byteLength(text),
      });
      res.end(text);
    });
  })
  .listen(Number(process.env.PORT), '127.0.0.1', () => process.stdout.write('listening\n'));
