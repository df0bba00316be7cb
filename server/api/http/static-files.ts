import fs from 'node:fs';
import path from 'node:path';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { packageRoot } from '../../core/package-root.ts';

/** Where `vite build` writes the web app (git-ignored); the server serves it at `/`. */
export const webBuildDir = path.join(packageRoot(import.meta.dirname), 'dist/web');

const types: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json; charset=utf-8',
  '.woff2': 'font/woff2',
  '.map': 'application/json; charset=utf-8',
};

/** Paths that belong to the API: never answered with the app, even when nothing matched. */
const apiPrefixes = ['/trpc', '/api', '/sync', '/.well-known', '/companies', '/healthz', '/readyz'];

// The app talks only to its own origin (HTTP and the sync WebSocket); Recharts sets inline styles.
const csp = [
  "default-src 'self'",
  "connect-src 'self' ws: wss:",
  "img-src 'self' data:",
  "style-src 'self' 'unsafe-inline'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
  "form-action 'self'",
].join('; ');

function send(res: ServerResponse, file: string, method: string, cache: string): void {
  const stat = fs.statSync(file);
  res.writeHead(200, {
    'content-type': types[path.extname(file)] ?? 'application/octet-stream',
    'content-length': stat.size,
    'cache-control': cache,
    'content-security-policy': csp,
    'referrer-policy': 'no-referrer',
    'x-frame-options': 'DENY',
  });
  if (method === 'HEAD') res.end();
  else fs.createReadStream(file).pipe(res);
}

/**
 * Serves the built web app: a file of the build when the path names one, else `index.html` so
 * the app's own routes load (SPA fallback) for a browser. False when the request is not the app's
 * to answer (an API path, another method, no build, or a client that does not ask for HTML), so
 * the caller answers its JSON 404.
 */
export function serveWebApp(req: IncomingMessage, res: ServerResponse, pathname: string): boolean {
  const method = req.method ?? 'GET';
  if (method !== 'GET' && method !== 'HEAD') return false;
  if (apiPrefixes.some((p) => pathname === p || pathname.startsWith(`${p}/`))) return false;
  const index = path.join(webBuildDir, 'index.html');
  if (!fs.existsSync(index)) return false;
  let decoded: string;
  try {
    decoded = decodeURIComponent(pathname);
  } catch {
    return false;
  }
  const file = path.join(webBuildDir, path.normalize(decoded));
  if (
    file.startsWith(webBuildDir + path.sep) &&
    fs.statSync(file, { throwIfNoEntry: false })?.isFile()
  ) {
    // Vite fingerprints everything under assets/: safe to cache for good.
    const immutable = file.startsWith(path.join(webBuildDir, 'assets') + path.sep);
    send(res, file, method, immutable ? 'public, max-age=31536000, immutable' : 'no-cache');
    return true;
  }
  // A missing asset is a 404, not the app: only extension-less paths are the app's routes, and
  // only for a browser navigating (it asks for HTML); a program gets the JSON 404.
  if (path.extname(decoded) !== '') return false;
  if (!(req.headers.accept ?? '').includes('text/html')) return false;
  send(res, index, method, 'no-cache');
  return true;
}
