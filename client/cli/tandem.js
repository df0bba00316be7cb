#!/usr/bin/env node
// The `tandem` bin, run through tsx so no build step is needed. It joins the remote commands
// (client/cli, HTTP only) to the operator commands (server/admin/cli, which open the data
// directory); the latter are imported only when one of them runs, so the client never loads the server.
import { register } from 'tsx/esm/api';

register();
const { runTandem } = await import('./main.ts');
await runTandem(() => import('../../server/admin/cli/index.ts'));
