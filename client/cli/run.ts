import fs from 'node:fs';
import type { HelpCatalog } from './help-catalog.ts';
import { runTandem } from './main.ts';

// The compiled bin's entry (dist/node/client/cli/run.js): the remote commands, and the operator
// commands loaded only when one of them runs; `tandem --help` lists them from the catalog the
// build wrote beside it, so help does not load the server either.
function catalog(): HelpCatalog | undefined {
  try {
    return JSON.parse(
      fs.readFileSync(new URL('../../admin-commands.json', import.meta.url), 'utf8'),
    ) as HelpCatalog;
  } catch {
    return undefined;
  }
}

await runTandem(() => import('../../server/admin/cli/index.ts'), process.argv, catalog());
