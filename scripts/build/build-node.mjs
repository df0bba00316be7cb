#!/usr/bin/env node
// Compiles the server, the `tandem` CLI and their worker to JavaScript in dist/node, so they
// start without transpiling TypeScript. npm runs it as `prepare` (so `npm ci` builds it) and
// before `npm start`. Plain JavaScript on purpose: the build must not need a TypeScript loader.
// Bundled per entry with shared chunks; npm packages stay imports of node_modules.
import { build } from 'esbuild';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '../..');
const outdir = path.join(root, 'dist/node');

/** Each entry lands at the same path under dist/node, with .js for .ts. */
const entries = [
  'client/cli/run.ts',
  'server/start.ts',
  'server/insights/insights-build.worker.ts',
  'client/web/build-web.ts',
  // Run once below, to write the operator commands' help catalog.
  'scripts/build/admin-catalog.ts',
];

const started = Date.now();
fs.rmSync(outdir, { recursive: true, force: true });
await build({
  absWorkingDir: root,
  entryPoints: entries.map((e) => ({ in: e, out: e.replace(/\.ts$/, '') })),
  outdir,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  packages: 'external',
  chunkNames: 'chunks/[name]-[hash]',
  sourcemap: 'linked',
  logLevel: 'warning',
});
// The operator commands as `tandem --help` lists them, from the compiled commands themselves.
execFileSync(process.execPath, [
  path.join(outdir, 'scripts/build/admin-catalog.js'),
  path.join(outdir, 'admin-commands.json'),
]);
if (!process.argv.includes('--quiet'))
  process.stderr.write(`dist/node built in ${Date.now() - started} ms\n`);
