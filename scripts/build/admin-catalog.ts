import fs from 'node:fs';
import * as admin from '../../server/admin/cli/index.ts';
import { catalogEntries, type HelpCatalog } from '../../client/cli/help-catalog.ts';

// Bundled and run by build-node.mjs: writes the operator commands' names and descriptions, taken
// from the commands themselves, for the compiled bin's top-level help.
const catalog = Object.fromEntries(
  Object.entries(admin).map(([name, register]) => [name, catalogEntries(register)]),
) as HelpCatalog;
fs.writeFileSync(process.argv[2]!, JSON.stringify(catalog, null, 1) + '\n');
