#!/usr/bin/env node
// The `tandem` bin: the compiled CLI in dist/node (built by `npm run build`, which `npm ci` runs
// as `prepare`), so a start transpiles nothing. A checkout that was never built falls back to
// the TypeScript sources through tsx, and says so.
import { existsSync } from 'node:fs';

const compiled = new URL('../../dist/node/client/cli/run.js', import.meta.url);
if (process.env.TANDEM_FROM_SOURCE !== '1' && existsSync(compiled)) {
  await import(compiled.href);
} else {
  if (process.env.TANDEM_FROM_SOURCE !== '1')
    process.stderr.write('tandem: no build in dist/node (npm run build); running the sources\n');
  const { register } = await import('tsx/esm/api');
  register();
  const { runTandem } = await import('./main.ts');
  await runTandem(() => import('../../server/admin/cli/index.ts'));
}
