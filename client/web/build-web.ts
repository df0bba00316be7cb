import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The package root: two folders up from the source, four from the compiled copy in dist/node. */
function findRoot(from: string): string {
  let dir = from;
  while (!fs.existsSync(path.join(dir, 'package.json')) && path.dirname(dir) !== dir)
    dir = path.dirname(dir);
  return dir;
}
const root = findRoot(import.meta.dirname);
const outDir = path.join(root, 'dist/web');
/** What the built app is made of: a change to any of these makes the build stale. */
const inputs = ['client/web', 'client/sdk', 'shared', 'package-lock.json'];

function newestMtime(p: string): number {
  const stat = fs.statSync(p, { throwIfNoEntry: false });
  if (!stat) return 0;
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const entry of fs.readdirSync(p, { withFileTypes: true })) {
    if (entry.name === 'e2e' || entry.name.endsWith('.test.ts')) continue;
    newest = Math.max(newest, newestMtime(path.join(p, entry.name)));
  }
  return newest;
}

/** True when dist/web is missing or older than a source of the app. */
export function webBuildIsStale(): boolean {
  const built = fs.statSync(path.join(outDir, 'index.html'), { throwIfNoEntry: false });
  if (!built) return true;
  return inputs.some((p) => newestMtime(path.join(root, p)) > built.mtimeMs);
}

/** Builds the web app with Vite into dist/web unless the build is current. */
export async function ensureWebBuild(options: { force?: boolean } = {}): Promise<boolean> {
  if (!options.force && !webBuildIsStale()) return false;
  const { build } = await import('vite');
  await build({ configFile: path.join(root, 'client/web/vite.config.ts'), logLevel: 'warn' });
  return true;
}

// `npm start` runs this first (prestart); `--force` rebuilds regardless.
if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  const started = Date.now();
  ensureWebBuild({ force: process.argv.includes('--force') }).then(
    (built) => {
      if (built) process.stderr.write(`web app built in ${Date.now() - started} ms\n`);
    },
    (error: unknown) => {
      process.stderr.write(`tandem: the web app did not build: ${String(error)}\n`);
      process.exit(1);
    },
  );
}
